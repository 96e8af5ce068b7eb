import SIPMessage
import Testing

@testable import SIPUserAgent

@Suite("Credentials")
struct CredentialsTests {
    func challengeResponse(_ challenges: [String], status: Int = 407) throws -> SIPResponse {
        var response = SIPResponse(statusCode: status, reasonPhrase: "Auth")
        for challenge in challenges {
            response.headers.append(status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate", challenge)
        }
        return response
    }

    let request = SIPRequest(method: .invite, uri: .sip(SIPURI(user: "bob", host: .domain("sipterm.test"))))

    @Test func everyChallengeIsAnswered() throws {
        let credentials = Credentials(username: "alice", password: "secret", realm: nil, ha1: nil)
        let answers = credentials.answer(
            try challengeResponse([
                #"Digest realm="one", nonce="n1""#, #"Digest realm="two", nonce="n2", algorithm=SHA-256"#,
            ]),
            for: request)
        #expect(answers.count == 2)
        #expect(answers.allSatisfy { $0.0 == .proxyAuthorization })
        #expect(answers.map(\.1["realm"]) == ["one", "two"])
        #expect(answers.map(\.1["algorithm"]) == ["MD5", "SHA-256"])
    }

    @Test func ha1OnlyForItsRealm() throws {
        let ha1 = DigestAlgorithm.md5.hash("alice:one:secret")
        let credentials = Credentials(username: "alice", password: nil, realm: "one", ha1: ha1)
        let answers = credentials.answer(
            try challengeResponse(
                [#"Digest realm="one", nonce="n1""#, #"Digest realm="two", nonce="n2""#], status: 401),
            for: request)
        #expect(answers.map(\.1["realm"]) == ["one"])
        #expect(answers.first?.0 == .authorization)
    }

    @Test func passwordIsDroppedAfterSuccess() throws {
        var credentials = Credentials(username: "alice", password: "secret", realm: nil, ha1: nil)
        credentials.remember(DigestChallenge(realm: "sipterm.test", nonce: "n"))
        #expect(credentials.password == nil)
        #expect(credentials.realm == "sipterm.test")
        #expect(credentials.ha1 == DigestAlgorithm.md5.hash("alice:sipterm.test:secret"))
        #expect(credentials.canAuthenticate)
    }
}
