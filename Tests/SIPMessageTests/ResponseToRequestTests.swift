import SIPMessage
import Testing

/// `SIPResponse(answering:)`: what RFC 3261 §8.2.6 and §12.1.1 copy into every answer.
@Suite("Responses to requests")
struct ResponseToRequestTests {
    func request(_ method: String, toTag: String? = nil) throws -> SIPRequest {
        let to = "<sip:bob@example.com>" + (toTag.map { ";tag=\($0)" } ?? "")
        let text =
            "\(method) sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK0\r\nRecord-Route: <sip:proxy.example.com;lr>\r\n"
            + "From: <sip:alice@example.com>;tag=a1\r\nTo: \(to)\r\nCall-ID: c1\r\nCSeq: 7 \(method)\r\n"
            + "Contact: <sip:alice@192.0.2.1>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        return try #require(try SIPMessage.parse(Array(text.utf8)).request)
    }

    @Test func copiesViasFromCallIDCSeqAndTagsTheTo() throws {
        let response = SIPResponse(answering: try request("INVITE"), status: 180, toTag: "b2")
        #expect(response.reasonPhrase == "Ringing")
        #expect(response.headers.all(.init(.via)).count == 2)
        #expect(try response.to?.tag == "b2")
        #expect(try response.from?.tag == "a1")
        #expect(response.headers.all(.init(.callID)) == ["c1"])
        #expect(response.headers.all(.init(.recordRoute)) == ["<sip:proxy.example.com;lr>"], "dialog-creating")
        #expect(response.headers.all(.init(.contact)).isEmpty)
        #expect(response.headers.all(.init(.maxForwards)).isEmpty)
    }

    @Test func trying100HasNoTagAndAnExistingTagStays() throws {
        #expect(try SIPResponse(answering: try request("INVITE"), status: 100, toTag: "b2").to?.tag == nil)
        #expect(try SIPResponse(answering: try request("BYE", toTag: "x9"), status: 200, toTag: "b2").to?.tag == "x9")
    }

    @Test func recordRouteOnlyOnDialogCreatingInviteAnswers() throws {
        #expect(
            SIPResponse(answering: try request("MESSAGE"), status: 200, toTag: "b2").headers.all(.init(.recordRoute))
                .isEmpty)
        #expect(
            SIPResponse(answering: try request("INVITE"), status: 486, toTag: "b2").headers.all(.init(.recordRoute))
                .isEmpty)
        #expect(
            SIPResponse(answering: try request("INVITE"), status: 499, reason: "Odd", toTag: nil).reasonPhrase == "Odd")
        #expect(ReasonPhrase.for(299) == "Unknown")
    }
}
