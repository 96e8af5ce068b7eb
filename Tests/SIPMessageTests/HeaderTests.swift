import Testing

@testable import SIPMessage

/// Typed values of the headers the UA reads, written back the way they were read.
@Suite("Typed headers")
struct HeaderTests {
    func roundTrips<T: SIPHeaderValue & Equatable>(_ type: T.Type, _ text: String) throws -> T {
        let value = try T(parsing: Substring(text))
        #expect(try T(parsing: Substring(value.description)) == value)
        return value
    }

    @Test func viaParameters() throws {
        let via = try roundTrips(
            Via.self,
            "SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds;rport=5061;received=[2001:db8::1];maddr=239.1.1.1;ttl=16"
        )
        #expect(via.transport == "WSS")
        #expect(via.host == .domain("df7jal23ls0d.invalid"))
        #expect(via.rport == .port(5061))
        #expect(via.received?.address == "2001:db8::1")
        #expect(via.maddr == "239.1.1.1")
        #expect(via.ttl == 16)
        #expect(throws: SIPParseError.self) { try Via(parsing: "SIP/2.0/UDP h;received=not an address") }
        #expect(throws: SIPParseError.self) { try Via(parsing: "SIP/2.0 h") }
    }

    @Test func cseqLimits() throws {
        #expect(try roundTrips(CSeq.self, "4294967295 REGISTER").number == UInt32.max)
        #expect(throws: SIPParseError.self) { try CSeq(parsing: "4294967296 REGISTER") }
        #expect(throws: SIPParseError.self) { try CSeq(parsing: "-1 REGISTER") }
        #expect(throws: SIPParseError.self) { try CSeq(parsing: "1") }
    }

    @Test func sessionTimerHeaders() throws {
        let expires = try roundTrips(SessionInterval.self, "1800;refresher=uac")
        #expect(expires.seconds == 1800)
        #expect(expires.refresher == .uac)
        #expect(try roundTrips(SessionInterval.self, "90").refresher == nil)
        #expect(SessionInterval(120, refresher: .uas).description == "120;refresher=uas")
    }

    @Test func eventPackageHeaders() throws {
        let event = try roundTrips(EventValue.self, "refer;id=93809824")
        #expect(event.package == "refer")
        #expect(event.id == "93809824")
        let state = try roundTrips(SubscriptionState.self, "terminated;reason=noresource;expires=0")
        #expect(state.state == "terminated")
        #expect(state.reason == "noresource")
        #expect(state.expires == 0)
    }

    @Test func transferHeaders() throws {
        let referTo = try roundTrips(
            NameAddress.self, "<sip:carol@x?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>")
        #expect(referTo.uri.sipURI?.headers.first?.value == "abc@h;to-tag=1;from-tag=2")
        let replaces = try roundTrips(Replaces.self, "abc@h;to-tag=1;from-tag=2;early-only")
        #expect(replaces.callID == "abc@h")
        #expect(replaces.toTag == "1")
        #expect(replaces.fromTag == "2")
        #expect(replaces.earlyOnly)
        #expect(throws: SIPParseError.self) { try Replaces(parsing: "abc;to-tag=1") }
        #expect(try roundTrips(NameAddress.self, "\"Alice\" <sip:alice@x>").displayName == "Alice")
    }

    @Test func reasonAndReliability() throws {
        let reason = try roundTrips(ReasonValue.self, #"SIP ;cause=200 ;text="Call completed elsewhere""#)
        #expect(reason.cause == 200)
        #expect(reason.text == "Call completed elsewhere")
        #expect(
            ReasonValue(protocol: "Q.850", cause: 16, text: "Normal").description == #"Q.850;cause=16;text="Normal""#)
        let rack = try roundTrips(RAck.self, "776656 1 INVITE")
        #expect(rack == RAck(rseq: 776656, cseq: 1, method: .invite))
        #expect(try DecimalValue(parsing: "988789").value == 988789)
    }

    @Test func listsAndCounts() throws {
        let message = try SIPMessage.parse(
            "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2\r\n"
                + "Via: SIP/2.0/UDP c;branch=z9hG4bK3\r\nFrom: <sip:a@x>;tag=1\r\nTo: b <sip:b@x>\r\nCall-ID: 1@x\r\n"
                + "CSeq: 2 INVITE\r\nMax-Forwards: 70\r\nSupported: timer, replaces,outbound\r\nAllow: INVITE,ACK\r\n"
                + "Require:\r\nExpires: 1000000000000000\r\nMin-SE: 90\r\nContact: <sip:a@1.2.3.4>;expires=60, \"Bob, Jr\" <sip:b@5.6.7.8>\r\n"
                + "Record-Route: <sip:p1;lr>, <sip:p2;lr>\r\nUser-Agent: sipterm/0.1 (linux)\r\nContent-Length: 0\r\n\r\n"
        )
        let request = try #require(message.request)
        #expect(try request.via.map(\.branch) == ["z9hG4bK1", "z9hG4bK2", "z9hG4bK3"])
        #expect(
            try request.headers.values(.supported, as: OptionTag.self).map(\.value) == [
                "timer", "replaces", "outbound",
            ])
        #expect(try request.headers.values(.allow, as: OptionTag.self).count == 2)
        #expect(try request.headers.values(.require, as: OptionTag.self).isEmpty)
        #expect(try request.expires == UInt32.max)
        #expect(try request.headers.value(.minSE, as: SessionInterval.self)?.seconds == 90)
        #expect(try request.contacts.compactMap(\.address?.displayName) == ["Bob, Jr"])
        #expect(try request.contacts.first?.expires == 60)
        #expect(try request.recordRoutes.count == 2)
        #expect(try request.headers.value(.userAgent, as: TextValue.self)?.text == "sipterm/0.1 (linux)")
        #expect(try request.to?.displayName == "b")
        #expect(throws: Never.self) { try message.validate() }
    }

    @Test func errorsNameLineAndHeader() throws {
        let message = try SIPMessage.parse(
            "OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: \"oops <sip:b@x>\r\n\r\n"
        )
        #expect(throws: SIPParseError("unterminated quoted string", line: 4, header: "To")) { try message.request?.to }
        #expect(throws: SIPParseError.self) { try SIPMessage.parse("OPTIONS sip:b@x SIP/2.0\r\nno colon here\r\n\r\n") }
        #expect(throws: SIPParseError.self) { try SIPMessage.parse("OPTIONS sip:b@x SIP/2.0\r\n bad: fold\r\n\r\n") }
        #expect(throws: SIPParseError.self) { try SIPMessage.parse("OPTIONS sip:b@x SIP/2.0\r\nBad Name: x\r\n\r\n") }
        #expect(throws: SIPParseError.self) { try SIPMessage.parse("SIP/2.0 20 OK\r\n\r\n") }
        #expect(throws: SIPParseError.self) { try SIPMessage.parse("SIP/2.x 200 OK\r\n\r\n") }
        #expect(throws: SIPParseError.self) { try SIPMessage.parse("") }
    }

    @Test func headerNamesCompareWithoutCase() {
        #expect(HeaderName("v") == HeaderName("VIA"))
        #expect(HeaderName("X-Foo") == HeaderName("x-foo"))
        #expect(HeaderName("X-Foo") != HeaderName("Via"))
        #expect(HeaderName("m").text == "Contact")
        var headers = Headers()
        headers.append("X-A", "1")
        headers.append("Route", "<sip:a>")
        headers.append("x-a", "2")
        headers.set("X-A", "3")
        #expect(headers.all("X-A") == ["3"])
        #expect(headers.fields.map(\.name.text) == ["X-A", "Route"])
        headers.prepend("Via", "SIP/2.0/UDP h")
        #expect(headers.first?.name == "Via")
        headers.remove("route")
        #expect(headers.count == 2)
    }
}
