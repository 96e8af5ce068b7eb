import Foundation
import SIPUserAgent
import TestSupport
import Testing

/// Presence (RFC 3856/3903) and busy lamps (RFC 4235) between sipterm agents through Kamailio:
/// its presence server (presence, presence_xml) takes every PUBLISH and the SUBSCRIBEs to the
/// presence of pres* users; SUBSCRIBEs to a phone's dialog state go on to the phone, which
/// serves it (`sipterm.serve_state`).
@Suite("Presence and busy lamps through Kamailio's presence server", .serialized)
struct PresenceTests {
    static let aliceURI = "sip:presalice@sipterm.test"
    static let bobURI = "sip:presbob@sipterm.test"

    static func phone(_ user: String, watching contact: String, _ extra: [String] = []) async throws -> AgentProcess {
        try await AgentToAgentTests.registered(
            user, over: "udp",
            [
                "sipterm.publish=true", "sipterm.contacts=[\"\(contact)\"]", "sipterm.audio_input=\"null\"",
                "sipterm.audio_output=\"null\"",
            ] + extra)
    }

    /// The next state of the contact `uri` that `holds`.
    @discardableResult
    static func state(
        _ agent: AgentProcess, of uri: String, _ what: String, _ holds: @escaping ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        try await agent.event("contactState", "\(uri) \(what)") { $0["uri"] as? String == uri && holds($0) }
    }

    static func presence(_ word: String) -> ([String: Any]) -> Bool { { $0["presence"] as? String == word } }
    static func lamp(_ word: String) -> ([String: Any]) -> Bool { { $0["lamp"] as? String == word } }

    @Test func twoPhonesSeeEachOtherAvailableThenOnThePhoneThenAvailable() async throws {
        let alice = try await Self.phone("presalice", watching: "Bob <\(Self.bobURI)>")
        let bob = try await Self.phone("presbob", watching: "Alice <\(Self.aliceURI)>")
        try await alice.event("presencePublished")
        try await bob.event("presencePublished")
        let seen = try await Self.state(alice, of: Self.bobURI, "available", Self.presence("available"))
        #expect(seen["name"] as? String == "Bob")
        try await Self.state(bob, of: Self.aliceURI, "available", Self.presence("available"))
        try await Self.state(bob, of: Self.aliceURI, "idle lamp", Self.lamp("idle"))

        // Alice calls Bob: Bob's lamp for Alice rings before he answers, then shows her busy.
        let reply = try await alice.command(["cmd": "call", "target": "presbob"])
        let outgoing = try #require(reply["session"] as? String, "\(reply)")
        let incoming = try await bob.incoming()
        try await Self.state(bob, of: Self.aliceURI, "ringing lamp", Self.lamp("ringing"))
        try await Self.state(alice, of: Self.bobURI, "ringing lamp", Self.lamp("ringing"))
        try await bob.command(["cmd": "answer", "session": incoming])
        try await alice.event("confirmed", session: outgoing)
        try await Self.state(bob, of: Self.aliceURI, "busy lamp", Self.lamp("busy"))
        try await Self.state(alice, of: Self.bobURI, "busy lamp", Self.lamp("busy"))
        // The presence server tells each the other is on the phone (from their PUBLISHes).
        try await Self.state(alice, of: Self.bobURI, "on the phone", Self.presence("on the phone"))
        try await Self.state(bob, of: Self.aliceURI, "on the phone", Self.presence("on the phone"))

        try await alice.command(["cmd": "terminate", "session": outgoing])
        try await bob.event("ended", session: incoming)
        try await Self.state(bob, of: Self.aliceURI, "available again", Self.presence("available"))
        try await Self.state(bob, of: Self.aliceURI, "idle again", Self.lamp("idle"))
        try await Self.state(alice, of: Self.bobURI, "available again", Self.presence("available"))

        // What went on the wire: a first PUBLISH with the PIDF document, a modify with
        // SIP-If-Match and the on-the-phone activity.
        let publishes = alice.traces("sent").filter { $0.hasPrefix("PUBLISH sip:presalice@sipterm.test ") }
        #expect(publishes.first?.contains("Event: presence\r\n") == true)
        #expect(publishes.first?.contains("Content-Type: application/pidf+xml\r\n") == true)
        #expect(publishes.first?.contains("<basic>open</basic>") == true)
        #expect(publishes.contains { $0.contains("SIP-If-Match: ") && $0.contains("<rpid:on-the-phone/>") })
        await alice.stop()
        await bob.stop()
    }

    /// Chosen presence: away and busy published and seen; dnd shows busy.
    @Test func chosenPresenceIsPublishedAndSeen() async throws {
        let carol = try await Self.phone("prescarol", watching: "sip:presdave@sipterm.test")
        let dave = try await Self.phone("presdave", watching: "sip:prescarol@sipterm.test")
        try await carol.event("presencePublished")
        let uri = "sip:prescarol@sipterm.test"
        try await Self.state(dave, of: uri, "available", Self.presence("available"))
        try await carol.command(["cmd": "set", "param": "sipterm.presence", "value": "away"])
        try await Self.state(dave, of: uri, "away", Self.presence("away"))
        try await carol.command(["cmd": "set", "param": "sipterm.presence", "value": "available"])
        try await carol.command(["cmd": "set", "param": "sipterm.dnd", "value": true])
        let busy = try await Self.state(dave, of: uri, "busy", Self.presence("busy"))
        #expect(busy["note"] as? String == "Do not disturb")
        let stopped = dave.lineCount
        await carol.stop()
        // Withdrawn on stop: the server has no open presence left to tell.
        try await dave.event("contactState", "carol withdrawn", since: stopped) {
            $0["uri"] as? String == uri && ($0["presence"] as? String == "offline" || $0["presence"] is NSNull)
        }
        await dave.stop()
    }
}

extension PresenceTests {
    /// A contact (sipp, peers/sipp/uas-contact-bad-bodies.xml) whose first presence and
    /// dialog-info documents cannot be read: each is said, naming what is wrong, the
    /// subscriptions stay, and the good documents after them are shown.
    @Test func unreadableBodiesAreSaidAndTheSubscriptionsStay() async throws {
        let port = 5787
        let sipp = try Sipp.start("uas-contact-bad-bodies.xml", port: port, arguments: ["-m", "2"])
        let uri = "sip:zed@127.0.0.1:\(port)"
        let agent = try await AgentProcess.towards(port: port, ["sipterm.contacts=[\"Zed <\(uri)>\"]"])
        let badPIDF = try await Self.state(agent, of: uri, "unreadable presence") {
            ($0["problem"] as? String)?.contains("unreadable presence from \(uri): ") == true
        }
        #expect((badPIDF["problem"] as? String)?.contains("</status> closes <basic>") == true, "\(badPIDF)")
        let badDialog = try await Self.state(agent, of: uri, "unreadable dialog-info") {
            ($0["problem"] as? String)?.contains("unreadable dialog-info from \(uri): ") == true
        }
        #expect((badDialog["problem"] as? String)?.contains("no RFC 4235 state (ringing)") == true, "\(badDialog)")
        let back = try await Self.state(agent, of: uri, "available") { $0["note"] as? String == "Back" }
        #expect(back["presence"] as? String == "available")
        try await Self.state(agent, of: uri, "busy") { $0["lamp"] as? String == "busy" }
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        #expect(!agent.lines.contains { $0["event"] as? String == "terminated" }, "a subscription ended")
        await agent.stop()
    }
}

extension PresenceTests {
    /// The phone in tmux watching Finn (an agent): the Contacts pane shows him available, then
    /// away as soon as his PUBLISH is answered (the server NOTIFYs at once); Enter on him calls
    /// him and w writes him a message.
    @Test func theContactsPaneFollowsAContactAndCallsAndWritesToHim() async throws {
        let home = try PhoneHome(account: "presemma")
        let contacts = "\n[[sipterm.contacts]]\nname = \"Finn\"\nuri = \"sip:presfinn@sipterm.test\"\n"
        try (try home.read() + contacts).write(toFile: home.config, atomically: true, encoding: .utf8)
        let finn = try await Self.phone("presfinn", watching: "sip:presemma@sipterm.test")
        try await finn.event("presencePublished")
        let phone = try await home.start(width: 120, height: 40)
        // Finn un-registers whatever happens: a contact left at Kamailio by a failed run would
        // fork the next run's call to a dead phone, whose branch holds the final answer 30 s.
        do {
            try await Self.followFinn(phone, finn)
        } catch {
            await finn.stop()
            throw error
        }
        await finn.stop()
    }

    static func followFinn(_ phone: TmuxSession, _ finn: AgentProcess) async throws {
        try await phone.run { phone in
            try await phone.waitFor("Finn available") {
                $0.contains("6 Contacts") && Self.row("Finn", $0).contains("available")
            }
            let before = finn.lineCount
            try await finn.command(["cmd": "set", "param": "sipterm.presence", "value": "away"])
            try await finn.event("presencePublished", "away", since: before) { _ in true }
            let published = ContinuousClock.now
            // The state is drawn the moment the NOTIFY is read; 2 s leaves the test's own
            // polling (a tmux capture every 100 ms) room on a loaded machine.
            try await phone.waitFor("Finn away", timeout: .seconds(2)) { Self.row("Finn", $0).contains("away") }
            let shown = ContinuousClock.now - published
            print("contacts pane: Finn's away shown \(shown) after his PUBLISH was answered")

            try await phone.keys("6")
            try await phone.keys("Enter")
            let incoming = try await finn.incoming()
            try await phone.waitFor("Finn ringing") { Self.row("Finn", $0).contains("◐") }
            try await finn.command(["cmd": "terminate", "session": incoming])
            try await phone.waitFor("Finn idle") { Self.row("Finn", $0).contains("○") }

            try await phone.keys("w")
            try await phone.type("see you at 3")
            try await phone.keys("Enter")
            let message = try await finn.event("newMessage")
            #expect(message["body"] as? String == "see you at 3")
            try await phone.keys("F10")
            try await phone.waitFor("EXITED 0")
        }
    }

    /// The Contacts pane's line for `name`.
    static func row(_ name: String, _ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("│") && $0.contains(" \(name) ") }.map(String.init) ?? ""
    }
}

extension PresenceTests {
    /// baresip 1.0's presence module as the other phone, both ways through Kamailio's presence
    /// server: baresip PUBLISHes (pubint) and sipterm watches it go online and offline; baresip
    /// watches sipterm (a contact with presence=p2p) and logs it Online and Busy as sipterm
    /// PUBLISHes them (and Offline for away: baresip 1.0 reads RPID away so). baresip serves no
    /// dialog state: it refuses that subscription, and sipterm does not ask again.
    static let gail = Baresip(
        user: "presgail", sipPort: 15300, accountParameters: ";pubint=60",
        contacts: ["\"Hal\" <sip:preshal@sipterm.test>;presence=p2p"])

    @Test func withBaresipBothWays() async throws {
        let gailURI = "sip:presgail@sipterm.test"
        try await Self.gail.start()
        let agent = try await Self.phone("preshal", watching: "Gail <\(gailURI)>")
        try await agent.event("presencePublished")
        // The refusal and the presence NOTIFY come in either order; neither hides the other.
        try await Self.state(agent, of: gailURI, "online, and no dialog state") {
            $0["presence"] as? String == "available"
                && ($0["problem"] as? String)?.contains("dialog subscription ended: 400") == true
        }

        try await Self.gailSees("Online")
        try await agent.command(["cmd": "set", "param": "sipterm.presence", "value": "busy"])
        try await Self.gailSees("Busy")
        try await agent.command(["cmd": "set", "param": "sipterm.presence", "value": "away"])
        try await Self.gailSees("Offline")

        try await Self.gail.command("presence_offline")
        try await Self.state(agent, of: gailURI, "offline") { $0["presence"] as? String == "offline" }
        try await Self.gail.stop()
        let subscribes = agent.traces("sent").filter {
            $0.hasPrefix("SUBSCRIBE sip:presgail@") && $0.contains("Event: dialog")
        }
        #expect(subscribes.count <= 2, "asked again after a refusal: \(subscribes.count) dialog SUBSCRIBEs")
        await agent.stop()
    }

    /// Waits until baresip's contact list shows Hal with `status`.
    static func gailSees(_ status: String) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await gail.command("contacts").replacingOccurrences(
                of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            if last.split(separator: "\n").contains(where: { $0.contains(status) && $0.contains("Hal") }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("baresip never listed Hal as \(status); last: \(last)")
    }
}
