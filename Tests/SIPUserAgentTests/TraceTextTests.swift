import Testing

@testable import SIPUserAgent

@Suite("Trace masking")
struct TraceTextTests {
    @Test func credentialsAreMasked() {
        let message =
            "REGISTER sip:x SIP/2.0\r\nAuthorization: Digest username=\"a\", realm=\"x\", response=\"0123abcd\", nonce=\"n\"\r\n"
            + "Proxy-Authorization: Digest username=\"a\", response=\"feedface\"\r\nauthorization: Bearer eyJ.secret.token\r\n"
            + "Subject: response=\"keep\"\r\n\r\n"
        let masked = TraceText.masked(Array(message.utf8))
        #expect(!masked.contains("0123abcd"))
        #expect(!masked.contains("feedface"))
        #expect(!masked.contains("eyJ.secret.token"))
        #expect(
            masked.contains("Authorization: Digest username=\"a\", realm=\"x\", response=\"••••\", nonce=\"n\"\r\n"))
        #expect(masked.contains("authorization: Bearer ••••\r\n"))
        #expect(masked.contains("Subject: response=\"keep\""))
        #expect(masked.hasSuffix("\r\n\r\n"))
    }
}
