import Testing

@testable import SIPMessage

@Suite("URIs")
struct URITests {
    @Test func fullSIPURI() throws {
        let uri = try SIPURI(
            parsing: "sips:Alice:pw@Example.COM:5071;transport=TLS;lr;x=%41?Subject=hi%20there&Priority=urgent")
        #expect(uri.isSecure)
        #expect(uri.user == "Alice")
        #expect(uri.password == "pw")
        #expect(uri.host == .domain("example.com"))
        #expect(uri.port == 5071)
        #expect(uri.transport == "tls")
        #expect(uri.parameters.contains("lr"))
        #expect(uri.parameters["x"] == "A")
        #expect(uri.headers == [Parameter("Subject", "hi there"), Parameter("Priority", "urgent")])
        #expect(
            uri.description == "sips:Alice:pw@example.com:5071;transport=TLS;lr;x=A?Subject=hi%20there&Priority=urgent")
    }

    @Test func escapingIsNotRecursive() throws {
        let uri = try SIPURI(parsing: "sip:%2541@h")
        #expect(uri.user == "%41")
        #expect(uri.description == "sip:%2541@h")
    }

    @Test func userEscapingOnWrite() {
        let uri = SIPURI(user: "Iñaki ðđ#1", host: .domain("jssip.net"))
        #expect(uri.description == "sip:I%C3%B1aki%20%C3%B0%C4%91%231@jssip.net")
        #expect((try? SIPURI(parsing: uri.description)) == uri)
    }

    @Test(arguments: [
        "sip:", "sip:@host", "sip:user@", "sip:user@host:99999", "sip:user@host:port", "sip:user@ho st",
        "sip:user@[::1", "sip:user@[1::2::3]", "sip:us%zzer@host", "sip:user@host;", "sip:user@host?x",
        "http://x", "sip:user@256.1.1.1", "sip:user@éxample.com",
    ])
    func invalidSIPURIs(_ text: String) {
        #expect(throws: SIPParseError.self) { try SIPURI(parsing: text) }
    }

    @Test func ipv6Forms() throws {
        #expect(IPv6Address("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPv6Address("2001:0db8:0000:0000:0000:0000:0000:0001")?.description == "2001:db8::1")
        #expect(IPv6Address("::")?.description == "::")
        #expect(IPv6Address("::1")?.description == "::1")
        #expect(IPv6Address("1:0:0:2:0:0:0:3")?.description == "1:0:0:2::3")
        #expect(IPv6Address("::ffff:192.0.2.1")?.description == "::ffff:192.0.2.1")
        #expect(IPv6Address("1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPv6Address("1::2::3") == nil)
        #expect(IPv6Address("12345::") == nil)
        #expect(IPv6Address("2001:db8:::1") == nil)
        let uri = try SIPURI(parsing: "sip:[2001:DB8::A]:5060")
        #expect(uri.host.address == "2001:db8::a")
        #expect(uri.hostPort == "[2001:db8::a]:5060")
    }

    @Test func telAndOtherSchemes() throws {
        let tel = try URI(parsing: "tel:+1-555-123-4567;phone-context=example.com")
        guard case .tel(let number) = tel else {
            Issue.record("not a tel URI")
            return
        }
        #expect(number.isGlobal)
        #expect(number.digits == "+15551234567")
        #expect(number.parameters["phone-context"] == "example.com")
        #expect(tel.description == "tel:+1-555-123-4567;phone-context=example.com")
        #expect(
            try URI(parsing: "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
                == .other(scheme: "urn", opaque: "uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"))
        #expect(throws: SIPParseError.self) { try URI(parsing: "tel:xyz") }
        #expect(throws: SIPParseError.self) { try URI(parsing: "1sip:x") }
    }

    /// RFC 3261 §19.1.4, including its examples of equivalent and different URIs.
    @Test func comparison() throws {
        func same(_ a: String, _ b: String) throws -> Bool {
            try SIPURI(parsing: a).isEquivalent(to: SIPURI(parsing: b))
                && SIPURI(parsing: b).isEquivalent(to: SIPURI(parsing: a))
        }
        #expect(try same("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"))
        #expect(try same("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"))
        #expect(try same("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5"))
        #expect(
            try same(
                "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"))
        #expect(
            try same(
                "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x"))
        #expect(try !same("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"))
        #expect(try !same("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"))
        #expect(try !same("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"))
        #expect(try !same("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"))
        #expect(try !same("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"))
        #expect(try !same("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"))
        #expect(try !same("sip:carol@chicago.com;newparam=6", "sip:carol@chicago.com;newparam=5"))
        #expect(try !same("sips:carol@chicago.com", "sip:carol@chicago.com"))
        #expect(try same("sip:u@[2001:db8::192.0.2.1]", "sip:u@[2001:DB8::C000:201]"))
    }
}
