import Testing

@testable import SIPMessage

/// Digest answers checked against published examples (RFC 2617 §3.5, RFC 7616 §3.9.1) and
/// against values computed independently (Python hashlib) for the forms they do not cover.
@Suite("Digest authentication")
struct DigestTests {
    @Test func rfc2617Example() {
        let challenge = DigestChallenge(
            realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            opaque: "5ccc069c403ebaf9f0171e9517f40e41", qop: ["auth", "auth-int"])
        let responder = DigestResponder(username: "Mufasa", challenge: challenge)
        let ha1 = responder.ha1(password: "Circle Of Life")
        let response = responder.response(
            ha1: ha1, method: "GET", uri: "/dir/index.html", qop: "auth", cnonce: "0a4f113b", nonceCount: 1)
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test(arguments: [
        (DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
        (DigestAlgorithm.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Example(algorithm: DigestAlgorithm, expected: String) {
        let challenge = DigestChallenge(
            realm: "http-auth@example.org", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", algorithm: algorithm, qop: ["auth", "auth-int"])
        let responder = DigestResponder(username: "Mufasa", challenge: challenge)
        let response = responder.response(
            ha1: responder.ha1(password: "Circle of Life"), method: "GET", uri: "/dir/index.html", qop: "auth",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", nonceCount: 1)
        #expect(response == expected)
    }

    func responder(_ algorithm: DigestAlgorithm = .md5, qop: [String] = ["auth"]) -> DigestResponder {
        DigestResponder(
            username: "alice",
            challenge: DigestChallenge(realm: "sipterm.test", nonce: "abc123", algorithm: algorithm, qop: qop))
    }

    @Test func legacyFormWithoutQop() {
        let digest = responder(qop: [])
        #expect(digest.chosenQop == .some(nil))
        let response = digest.response(
            ha1: digest.ha1(password: "secret"), method: "REGISTER", uri: "sip:sipterm.test", qop: nil, cnonce: "",
            nonceCount: 1)
        #expect(response == "9582102e25cc8766ff37de00f1444974")
    }

    @Test func authIntHashesTheBody() {
        let digest = responder(qop: ["auth-int"])
        #expect(digest.chosenQop == "auth-int")
        let response = digest.response(
            ha1: digest.ha1(password: "secret"), method: "INVITE", uri: "sip:bob@sipterm.test",
            body: Array("v=0\r\n".utf8),
            qop: "auth-int", cnonce: "0a4f113b", nonceCount: 2)
        #expect(response == "e68d48bf2f46f0b7ef8546cea0700942")
    }

    @Test(arguments: [
        (DigestAlgorithm.md5Session, "cb6dba2b5131bff31159687d010aff45"),
        (DigestAlgorithm.sha256Session, "8fd2823c1d385a6e1f2d804040badce59e35f0e826972d3d51ef381e6293cce3"),
    ])
    func sessionVariants(algorithm: DigestAlgorithm, expected: String) {
        let digest = responder(algorithm)
        let response = digest.response(
            ha1: digest.ha1(password: "secret"), method: "REGISTER", uri: "sip:sipterm.test", qop: "auth",
            cnonce: "0a4f113b", nonceCount: 1)
        #expect(response == expected)
    }

    @Test func ha1IsUTF8() {
        let digest = DigestResponder(
            username: "Alice ¶€", challenge: DigestChallenge(realm: "sipterm.test", nonce: "n"))
        #expect(digest.ha1(password: "pässwörd") == "af2e8f222674af180e362bdd2d308b36")
    }

    @Test func challengeParsedFromHeader() throws {
        let field = try AuthField(
            parsing:
                #"Digest realm="sipterm.test", nonce="abc,123", qop="auth,auth-int", algorithm=sha-256, stale=TRUE, opaque="xyz""#
        )
        let challenge = try DigestChallenge(field)
        #expect(challenge.realm == "sipterm.test")
        #expect(challenge.nonce == "abc,123")
        #expect(challenge.qop == ["auth", "auth-int"])
        #expect(challenge.algorithm == .sha256)
        #expect(challenge.stale)
        #expect(challenge.opaque == "xyz")
        #expect(throws: SIPParseError.self) { try DigestChallenge(AuthField(parsing: "Digest nonce=\"x\"")) }
        #expect(throws: SIPParseError.self) {
            try DigestChallenge(AuthField(parsing: "Digest realm=\"r\", nonce=\"x\", algorithm=SHA-512-256"))
        }
    }

    @Test func credentialsRenderedInJsSIPOrder() throws {
        let digest = DigestResponder(
            username: "alice",
            challenge: DigestChallenge(realm: "sipterm.test", nonce: "abc123", opaque: "op", qop: ["auth"]))
        let credentials = try digest.credentials(
            ha1: digest.ha1(password: "secret"), method: "REGISTER", uri: "sip:sipterm.test", cnonce: "0a4f113b",
            nonceCount: 1)
        let text = credentials.description
        #expect(
            text.hasPrefix(
                #"Digest algorithm=MD5, username="alice", realm="sipterm.test", nonce="abc123", uri="sip:sipterm.test", response=""#
            ))
        #expect(text.hasSuffix(#", opaque="op", qop=auth, cnonce="0a4f113b", nc=00000001"#))
        let reparsed = try AuthField(parsing: Substring(text))
        #expect(reparsed == credentials)
        #expect(reparsed["nc"] == "00000001")
    }

    @Test func nonceCountIsEightHexDigits() {
        #expect(DigestResponder.nc(1) == "00000001")
        #expect(DigestResponder.nc(0xABCDEF12) == "abcdef12")
    }

    @Test func unknownQopOnlyIsRefused() {
        #expect(responder(qop: ["auth-conf"]).chosenQop == nil)
        #expect(throws: SIPParseError.self) {
            try responder(qop: ["auth-conf"]).credentials(ha1: "x", method: "REGISTER", uri: "sip:x", cnonce: "c")
        }
    }

    @Test func bearerCredentials() throws {
        let field = try AuthField(parsing: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig_-w==")
        #expect(field.scheme == "Bearer")
        #expect(field.token == "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig_-w==")
        #expect(field.description == "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig_-w==")
    }

    @Test func severalChallengesInOneResponse() throws {
        let response = try #require(
            try SIPMessage.parse(
                "SIP/2.0 407 Proxy Authentication Required\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                    + "To: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
                    + "Proxy-Authenticate: Digest realm=\"one\", nonce=\"n1\"\r\n"
                    + "Proxy-Authenticate: Digest realm=\"two\", nonce=\"n2\", algorithm=SHA-256\r\nContent-Length: 0\r\n\r\n"
            ).response)
        let challenges = try response.headers.values(.proxyAuthenticate, as: AuthField.self).map(DigestChallenge.init)
        #expect(challenges.map(\.realm) == ["one", "two"])
        #expect(challenges.map(\.algorithm) == [.md5, .sha256])
    }
}
