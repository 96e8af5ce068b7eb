import SIPMessage

/// Answers digest challenges (RFC 2617/7616/8760) with the configured credentials: every
/// challenge of a response (several realms or proxies), MD5 and SHA-256 and their -sess forms.
/// After a challenge is answered successfully the realm and HA1 are kept and the plain password
/// is dropped, as JsSIP does.
struct Credentials: Sendable {
    var username: String
    var password: String?
    var realm: String?
    var ha1: String?

    /// Whether any challenge can be answered at all (JsSIP: only with a password or HA1).
    var canAuthenticate: Bool { password != nil || ha1 != nil }

    /// The HA1 for a challenge, from the password, or from the configured HA1 when its realm
    /// matches (an HA1 is only known for MD5).
    func ha1(for challenge: DigestChallenge) -> String? {
        let responder = DigestResponder(username: username, challenge: challenge)
        if let password { return responder.ha1(password: password) }
        if let ha1, realm == challenge.realm, challenge.algorithm == .md5 || challenge.algorithm == .md5Session {
            return ha1
        }
        return nil
    }

    /// Authorization values for every challenge of a 401/407 sipterm can answer.
    func answer(_ response: SIPResponse, for request: SIPRequest) -> [(KnownHeader, AuthField, DigestChallenge)] {
        let (challengeHeader, credentialHeader): (KnownHeader, KnownHeader) =
            response.statusCode == 407 ? (.proxyAuthenticate, .proxyAuthorization) : (.wwwAuthenticate, .authorization)
        guard let fields = try? response.headers.values(challengeHeader, as: AuthField.self) else { return [] }
        var answers: [(KnownHeader, AuthField, DigestChallenge)] = []
        for field in fields {
            guard let challenge = try? DigestChallenge(field), let ha1 = ha1(for: challenge),
                let value = try? DigestResponder(username: username, challenge: challenge).credentials(
                    ha1: ha1, method: request.method.name, uri: request.uri.description, body: request.body,
                    cnonce: DigestResponder.makeCnonce())
            else { continue }
            answers.append((credentialHeader, value, challenge))
        }
        return answers
    }

    /// Keeps realm and HA1 of a successfully answered MD5 challenge and forgets the password.
    mutating func remember(_ challenge: DigestChallenge) {
        guard let password, challenge.algorithm == .md5 else { return }
        ha1 = DigestResponder(username: username, challenge: challenge).ha1(password: password)
        realm = challenge.realm
        self.password = nil
    }
}
