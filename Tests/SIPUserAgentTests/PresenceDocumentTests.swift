import Testing

@testable import SIPUserAgent

/// What a watcher reads from presence (PIDF, RFC 3863, with RPID, RFC 4480) and dialog-info
/// (RFC 4235) bodies as real servers and phones write them, and what it says of bad ones.
@Suite("Presence and dialog-info documents")
struct PresenceDocumentTests {
    /// RFC 3863 §6's example, prefixes and all.
    static let rfc3863 = """
        <?xml version="1.0" encoding="UTF-8"?>
           <impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf"
               xmlns:myex="http://id.example.com/presence/"
               entity="pres:someone@example.com">
             <impp:tuple id="bs35r9">
               <impp:status>
                 <impp:basic>open</impp:basic>
                 <myex:location>home</myex:location>
               </impp:status>
               <myex:complexExtension><myex:s>foo</myex:s></myex:complexExtension>
               <impp:contact priority="0.8">im:someone@mobilecarrier.net</impp:contact>
               <impp:note xml:lang="en">Don't Disturb Please!</impp:note>
               <impp:timestamp>2001-10-27T16:49:29Z</impp:timestamp>
             </impp:tuple>
           </impp:presence>
        """

    @Test func theRFC3863ExampleIsOpenWithItsNote() throws {
        let status = try PresenceStatus(pidf: Self.rfc3863)
        #expect(status.basic == "open")
        #expect(status.note == "Don't Disturb Please!")
        #expect(status.summary == "available")
    }

    /// Two devices, as a presence server aggregates them: one closed, one open and on the phone
    /// (RPID in a data-model person, the way Kamailio and Asterisk publish it).
    @Test func anAggregateIsOpenWhenAnyTupleIsAndTakesThePersonsActivity() throws {
        let body = """
            <?xml version='1.0' encoding='UTF-8'?>
            <presence xmlns='urn:ietf:params:xml:ns:pidf' xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model'
             xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid' entity='sip:bob@example.com'>
             <tuple id='desk'><status><basic>closed</basic></status></tuple>
             <tuple id='mobile'><status><basic>open</basic></status><note>mobile &amp; more</note></tuple>
             <dm:person id='p'><rpid:activities><rpid:on-the-phone/></rpid:activities><dm:note>In a call</dm:note></dm:person>
            </presence>
            """
        let status = try PresenceStatus(pidf: body)
        #expect(status.basic == "open")
        #expect(status.activities == ["on-the-phone"])
        #expect(status.note == "In a call")
        #expect(status.summary == "on the phone")
    }

    @Test(arguments: [
        ("<rpid:away/>", "away"), ("<rpid:busy/>", "busy"), ("<rpid:meeting/>", "busy"),
        ("<rpid:other>lunch</rpid:other>", "available"),
    ])
    func activitiesSummarise(_ activity: String, _ summary: String) throws {
        let body = """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:a@b">
            <tuple id="t"><status><basic>open</basic></status></tuple>
            <person xmlns="urn:ietf:params:xml:ns:pidf:data-model"><rpid:activities>\(activity)</rpid:activities></person>
            </presence>
            """
        #expect(try PresenceStatus(pidf: body).summary == summary)
    }

    @Test func closedIsOffline() throws {
        let body = "<presence entity='sip:a@b'><tuple id='t'><status><basic>closed</basic></status></tuple></presence>"
        #expect(try PresenceStatus(pidf: body).summary == "offline")
    }

    @Test(arguments: [
        ("<presence><tuple><status><basic>open</status></tuple></presence>", "</status> closes <basic>"),
        (
            "<presence><tuple id='t'><status><basic>perhaps</basic></status></tuple></presence>",
            "neither open nor closed"
        ),
        ("<dialog-info/>", "not a PIDF document (root <dialog-info>)"),
        ("just text", "no root element"),
        ("<presence a=b></presence>", "not quoted"),
        ("<presence>&bogus;</presence>", "unknown reference &bogus;"),
        ("<presence></presence><extra/>", "content after the root element"),
        ("<presence>", "<presence> is not closed"),
    ])
    func badPIDFSaysWhatIsWrong(_ body: String, _ reason: String) {
        #expect {
            _ = try PresenceStatus(pidf: body)
        } throws: { error in
            (error as? XMLError)?.reason.contains(reason) == true
        }
    }

    @Test func nestingAndSizeAreBounded() {
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: XMLError.self) { _ = try XMLTree.parse(deep) }
        let large = "<a>" + String(repeating: "x", count: 300_000) + "</a>"
        #expect(throws: XMLError.self) { _ = try XMLTree.parse(large) }
    }

    /// RFC 4235 §5's examples: a full document with an early dialog, then a partial update
    /// confirming it, then a stale version, then the dialog terminated.
    @Test func dialogInfoDrivesTheBusyLamp() throws {
        var lamp = BusyLamp()
        #expect(lamp.state == .idle)
        try lamp.apply(
            dialogInfo: """
                <?xml version="1.0"?>
                <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:alice@example.com">
                  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" direction="initiator">
                    <state>early</state>
                  </dialog>
                </dialog-info>
                """)
        #expect(lamp.state == .ringing)
        try lamp.apply(
            dialogInfo: """
                <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="partial" entity="sip:alice@example.com">
                  <dialog id="as7d900as8"><state event="replaced">confirmed</state></dialog>
                </dialog-info>
                """)
        #expect(lamp.state == .busy)
        // A stale partial document (version not above the last) changes nothing.
        try lamp.apply(
            dialogInfo: """
                <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="partial" entity="sip:alice@example.com">
                  <dialog id="as7d900as8"><state>terminated</state></dialog>
                </dialog-info>
                """)
        #expect(lamp.state == .busy)
        try lamp.apply(
            dialogInfo: """
                <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="partial" entity="sip:alice@example.com">
                  <dialog id="as7d900as8"><state>terminated</state></dialog>
                </dialog-info>
                """)
        #expect(lamp.state == .idle)
        #expect(lamp.version == 2)
    }

    @Test(arguments: [
        ("<dialog-info version='0'><dialog id='x'><state>ringing</state></dialog></dialog-info>", "no RFC 4235 state"),
        ("<dialog-info version='0'><dialog><state>early</state></dialog></dialog-info>", "without an id"),
        ("<dialog-info><dialog id='x'><state>early</state></dialog></dialog-info>", "without a version"),
        ("<presence/>", "not a dialog-info document"),
    ])
    func badDialogInfoSaysWhatIsWrongAndKeepsTheLamp(_ body: String, _ reason: String) throws {
        var lamp = BusyLamp()
        try lamp.apply(
            dialogInfo:
                "<dialog-info version='0' state='full'><dialog id='k'><state>confirmed</state></dialog></dialog-info>"
        )
        #expect {
            try lamp.apply(dialogInfo: body)
        } throws: { error in
            (error as? XMLError)?.reason.contains(reason) == true
        }
        #expect(lamp.state == .busy)
    }
}
