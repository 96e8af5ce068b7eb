import Testing

@testable import SIPMessage

/// Messages as they arrive through real proxies, PBXs and carriers, each with where it comes
/// from: they must parse and validate, the parts a UA acts on must decode, and what it only
/// echoes must come back byte for byte. What a UA acts on stays strict.
@Suite("Liberal where real devices are odd")
struct LiberalParsingTests {
    static func parse(_ lines: [String], body: String = "") throws -> SIPMessage {
        try SIPMessage.parse(Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8))
    }

    /// A 300 from a carrier's emergency-call routing (Mavenir, T-Mobile US), kept as a parser
    /// test case in ochinchina/sipproxy (message_test.go, TestParseResponseMessage): three Vias in
    /// one header with vendor parameters (`mav-udp-rport`, `recvdsrvip`), a `urn:` To, a Call-ID
    /// with an IPv6 address and parentheses, a Contact with an escaped header in its URI.
    static let carrier300 = [
        "SIP/2.0 300 Multiple choices",
        "CSeq: 1 INVITE",
        "Call-ID: MXJytcizoWFR5yuIQ15O_Q..@2607:fb90:8330:361a:0:f:cdeb:6701~ccso(0-419-3632-1)",
        "From: <sip:557399123456@msg.pc.t-mobile.com>;tag=mavodi-0-1a3-e30-1-2000000-89e0c9-35-1e36-_00E081E57238-7627-7f259700-1e0a-588a52dc-132a9",
        "To: <urn:service:sos>;tag=LRF_28a5ff91",
        "Via: SIP/2.0/UDP 10.68.103.193:5060;branch=z9hG4bK02ebe95c32c4,SIP/2.0/UDP 10.68.101.167:5061;branch=z9hG4bKmavodi-0-177-1c7-1-e1510000-6a8dc0611909d96d;received=10.68.103.193,SIP/2.0/UDP 10.166.226.87:5066;nwkintf=6;realm=realm-mw;recvdsrvport=5060;recvdsrvip=10.166.226.86;mav-udp-rport=5066;received=10.166.226.87;branch=z9hG4bKmavodi-0-1a3-e30-1-2000000-89e0c9-35-1e36-2799083920-30247",
        "Record-Route: <sip:10.68.103.193:5060>,<sip:mavodi-0-177-1c7-1-1150000-@10.166.226.86:5060;lr>,<sip:mavodi-0-1a2-3fffffff-1-ffffffff-@10.166.226.87:5066;mavsipodi-0-1a9-35-1-1e36;lr>",
        "Contact: <sip:11719121111111@vivo.com;user=phone?P-Asserted-Identity=sip:+13125111078%3Bcpc%3Demergency%3Buser%3Dphone>",
        "P-Charging-Vector: icid-value=sgc3.daatf005.sip.t-mobile.com-1485-460188-67377;term-ioi=e-ioi3",
        "Content-Length: 0",
    ]

    @Test func aCarriersRedirectParsesWithItsVendorVias() throws {
        let message = try Self.parse(Self.carrier300)
        #expect(throws: Never.self) { try message.validate() }
        let response = try #require(message.response)
        let vias = try response.via
        #expect(vias.count == 3)
        #expect(try response.topVia?.branch == "z9hG4bK02ebe95c32c4")
        #expect(vias[2].parameters["mav-udp-rport"] == "5066")
        let received = try Host(parsingAddress: "10.166.226.87")
        #expect(vias[2].received == received)
        #expect(try response.to?.uri.scheme == "urn")
        #expect(try response.headers.values(.recordRoute, as: NameAddress.self).count == 3)
        let contact = try #require(try response.contacts.first?.address?.uri.sipURI)
        #expect(contact.headers.first?.value == "sip:+13125111078;cpc=emergency;user=phone")
    }

    /// The Via forms the review found in captures through proxies (a branch with `/`, `=` and
    /// `+`, `received=ADDRESS:PORT`); `:` in a Via parameter (pjsip ticket #237, "some endpoints
    /// send ':' character in Via parameters"); an empty `received=` (resiprocate pull request
    /// #366, user agents that send it like `rport`).
    static let proxiedVias = [
        "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK/Fw=+tl4Q==;received=192.0.2.7:5070",
        "SIP/2.0/UDP 10.0.0.6;branch=z9hG4bK-1;x-route=sip:edge.example.com:5060",
        "SIP/2.0/UDP 10.0.0.7:5060;received=;rport=5061;branch=z9hG4bK-2",
    ]

    static func ok(vias: [String], extra: [String] = []) -> [String] {
        ["SIP/2.0 200 OK"] + vias.map { "Via: \($0)" } + [
            "From: <sip:alice@example.com>;tag=1", "To: <sip:alice@example.com>;tag=2", "Call-ID: a@b",
            "CSeq: 2 REGISTER",
        ] + extra + ["Content-Length: 0"]
    }

    @Test func theViasBelowOursAreKeptAsTheyCame() throws {
        let ours = "SIP/2.0/UDP 192.168.1.9:5062;branch=z9hG4bK.ours;rport=40123;received=198.51.100.4"
        let message = try Self.parse(Self.ok(vias: [ours] + Self.proxiedVias))
        #expect(throws: Never.self) { try message.validate() }
        let response = try #require(message.response)
        let top = try #require(try response.topVia)
        #expect(top.branch == "z9hG4bK.ours")
        #expect(top.rport == Via.RPort.port(40123))
        let public4 = try Host(parsingAddress: "198.51.100.4")
        #expect(top.received == public4)
        let vias = try response.via
        #expect(vias[1].branch == "z9hG4bK/Fw=+tl4Q==")
        let proxy = try Host(parsingAddress: "192.0.2.7")
        #expect(vias[1].received == proxy)
        #expect(vias[2].parameters["x-route"] == "sip:edge.example.com:5060")
        #expect(vias[3].received == nil && vias[3].rport == Via.RPort.port(5061))
        // Echoed byte for byte: what a UA copies into its responses.
        #expect(message.headers.all(.init(.via)).dropFirst().map(String.init) == Self.proxiedVias)
        #expect(String(decoding: message.serialized(), as: UTF8.self).contains("Via: \(Self.proxiedVias[0])\r\n"))
    }

    @Test func receivedWithAPortStillTellsTheAddress() throws {
        let message = try Self.parse(
            Self.ok(vias: ["SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bK-3;received=203.0.113.9:5070;rport=5070"]))
        let address = try Host(parsingAddress: "203.0.113.9")
        #expect(try message.response?.topVia?.received == address)
        let v6 = try Self.parse(
            Self.ok(vias: ["SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK-4;received=[2001:db8::9]:5070"]))
        let address6 = try Host(parsingAddress: "2001:db8::9")
        #expect(try v6.response?.topVia?.received == address6)
    }

    @Test func headersNoOneActsOnDoNotCostTheMessage() throws {
        let odd = ["Date: yesterday", "Retry-After: soon", "P-Asserted-Identity: <sip:broken", "Allow: INVITE,,BYE"]
        let message = try Self.parse(Self.ok(vias: ["SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-5"], extra: odd))
        #expect(throws: Never.self) { try message.validate() }
        #expect(message.headers["Date"] == "yesterday")
        // Asked for, the value still says what is wrong with it.
        #expect(throws: SIPParseError.self) { _ = try message.headers.value(.date, as: SIPDate.self) }
    }

    @Test func whatTheAgentActsOnStaysStrict() throws {
        for (extra, vias, why) in [
            (["Session-Expires: soon"], ["SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-6"], "Session-Expires"),
            (["Contact: <sip:"], ["SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-7"], "Contact"),
            ([], ["SIP/2.0/UDP ;branch=z9hG4bK-8", "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-9"], "Via"),
        ] {
            let message = try Self.parse(Self.ok(vias: vias, extra: extra))
            #expect(throws: SIPValidationError.self, "a bad \(why)") { try message.validate() }
        }
    }
}
