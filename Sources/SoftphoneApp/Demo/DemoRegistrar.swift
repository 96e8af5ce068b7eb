import SIPMessage

/// The demo account's registrar: a Digest MD5 challenge with qop=auth, the credentials checked
/// with the same digest math the user agent answers with, and the bindings it keeps.
struct DemoRegistrar {
    let user: String
    let password: String
    let realm: String
    /// Nonces handed out, oldest first and bounded; a credential naming another one is
    /// challenged afresh.
    private var nonces: [String] = []
    /// Contact URI text → the binding, so MESSAGE echoes know where the account is.
    private(set) var bindings: [String: Binding] = [:]

    struct Binding {
        var contact: NameAddress
        var expires: UInt32
    }

    /// What to answer a REGISTER with.
    enum Outcome {
        case challenge(String)
        case forbidden
        case ok(contacts: [String], expires: UInt32)
        case bad
    }

    static let defaultExpires: UInt32 = 600
    static let maxExpires: UInt32 = 3600

    init(user: String, password: String, realm: String) {
        self.user = user
        self.password = password
        self.realm = realm
    }

    /// The first contact still registered (where MESSAGE echoes go).
    var contact: NameAddress? { bindings.values.first?.contact }

    mutating func register(_ request: SIPRequest) -> Outcome {
        let fields = request.headers.all(.init(.authorization))
        guard let text = fields.first, let field = try? AuthField(parsing: text), field.isDigest,
            let nonce = field["nonce"], nonces.contains(nonce)
        else {
            return .challenge(makeChallenge())
        }
        guard verify(field, method: request.method.name, nonce: nonce) else { return .forbidden }
        let contacts: [ContactValue]
        let requested: UInt32?
        do {
            contacts = try request.contacts
            requested = try request.expires
        } catch {
            return .bad
        }
        for value in contacts {
            switch value {
            case .wildcard:
                guard (requested ?? 1) == 0 else { return .bad }
                bindings = [:]
            case .address(let address):
                let expires = min(value.expires ?? requested ?? Self.defaultExpires, Self.maxExpires)
                var contact = address
                contact.parameters.remove("expires")
                let key = contact.uri.description
                if expires == 0 {
                    bindings[key] = nil
                } else {
                    bindings[key] = Binding(contact: contact, expires: expires)
                }
            }
        }
        let current = bindings.values.map { binding -> String in
            var contact = binding.contact
            contact.parameters.set("expires", String(binding.expires))
            return contact.description
        }
        return .ok(contacts: current, expires: bindings.values.map(\.expires).min() ?? 0)
    }

    /// A fresh WWW-Authenticate value.
    private mutating func makeChallenge() -> String {
        let nonce = DigestResponder.makeCnonce()
        nonces.append(nonce)
        if nonces.count > 64 { nonces.removeFirst() }
        return "Digest realm=\"\(realm)\", nonce=\"\(nonce)\", qop=\"auth\", algorithm=MD5"
    }

    /// The response the account's password gives for this request, compared with the one sent.
    private func verify(_ field: AuthField, method: String, nonce: String) -> Bool {
        guard field["username"] == user, field["realm"] == realm, let uri = field["uri"],
            let sent = field["response"]?.lowercased()
        else { return false }
        let challenge = DigestChallenge(realm: realm, nonce: nonce, algorithm: .md5, qop: ["auth"])
        let responder = DigestResponder(username: user, challenge: challenge)
        let qop = field["qop"]?.lowercased()
        let cnonce = field["cnonce"] ?? ""
        let count = field["nc"].flatMap { UInt32($0, radix: 16) } ?? 0
        if qop != nil, qop != "auth" { return false }
        let expected = responder.response(
            ha1: responder.ha1(password: password), method: method, uri: uri, qop: qop, cnonce: cnonce,
            nonceCount: count)
        return expected == sent
    }
}
