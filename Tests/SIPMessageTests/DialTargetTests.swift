import Testing

@testable import SIPMessage

/// JsSIP's normalizeTarget rules, with the account domain `jssip.net`.
@Suite("Dialling targets")
struct DialTargetTests {
    @Test(arguments: [
        ("1234", "sip:1234@jssip.net"),
        ("bob", "sip:bob@jssip.net"),
        ("bob@jssip.net", "sip:bob@jssip.net"),
        ("bob@other.org", "sip:bob@other.org"),
        ("sip:bob@other.org", "sip:bob@other.org"),
        ("SIP:bob@other.org", "sip:bob@other.org"),
        ("sips:bob@other.org", "sip:bob@other.org"),
        ("tel:+1-555-123-4567", "sip:+15551234567@jssip.net"),
        ("+1 (555) 123", "sip:+1%20(555)%20123@jssip.net"),
        ("(555) 123-4567", "sip:(555)%20123-4567@jssip.net"),
        ("555.123.4567", "sip:5551234567@jssip.net"),
        ("-(+34)-666.66.66.66", "sip:+34666666666@jssip.net"),
        ("+34-666-66-66-66", "sip:+34666666666@jssip.net"),
        ("alice smith", "sip:alice%20smith@jssip.net"),
        ("%61lice", "sip:alice@jssip.net"),
        ("a@b@other.org", "sip:a%40b@other.org"),
        ("bob@other.org:5070;transport=tcp", "sip:bob@other.org:5070;transport=tcp"),
        ("*98#", "sip:*98%23@jssip.net"),
        ("  bob  ", "sip:bob@jssip.net"),
    ])
    func normalizes(_ target: String, _ expected: String) throws {
        #expect(try DialTarget.normalize(target, defaultDomain: "jssip.net").description == expected)
    }

    @Test(arguments: ["", "   ", "sip:", "bob@", "bob@ñ.org", "bob@;;;", "100%", "bob@host:99999"])
    func refuses(_ target: String) {
        #expect(throws: DialTarget.Error.self) { try DialTarget.normalize(target, defaultDomain: "jssip.net") }
    }

    @Test func needsADomainForABareUser() throws {
        #expect(throws: DialTarget.Error.self) { try DialTarget.normalize("bob", defaultDomain: nil) }
        let uri = try DialTarget.normalize("bob@x.org", defaultDomain: nil)
        #expect(uri.description == "sip:bob@x.org")
    }

    @Test func defaultDomainKeepsPort() throws {
        #expect(
            try DialTarget.normalize("100", defaultDomain: "127.0.0.1:15060").description == "sip:100@127.0.0.1:15060")
    }
}
