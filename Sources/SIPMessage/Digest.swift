import Crypto

/// Digest hash algorithms of RFC 7616 / RFC 8760 that a SIP server may ask for.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case md5 = "MD5"
    case md5Session = "MD5-sess"
    case sha256 = "SHA-256"
    case sha256Session = "SHA-256-sess"

    /// Reads the `algorithm` parameter in any case; absent means MD5.
    public init?(token: String?) {
        guard let token else {
            self = .md5
            return
        }
        guard let match = DigestAlgorithm.allCases.first(where: { $0.rawValue.equalsIgnoringASCIICase(token) })
        else {
            return nil
        }
        self = match
    }

    public var isSession: Bool { self == .md5Session || self == .sha256Session }

    /// Lower-case hex of the algorithm's hash of `text` (UTF-8).
    public func hash(_ text: String) -> String { hash(Array(text.utf8)) }

    public func hash(_ bytes: [UInt8]) -> String {
        switch self {
        case .md5, .md5Session: return Insecure.MD5.hash(data: bytes).hexString
        case .sha256, .sha256Session: return SHA256.hash(data: bytes).hexString
        }
    }
}

extension Sequence<UInt8> {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A digest challenge read from WWW-Authenticate or Proxy-Authenticate.
public struct DigestChallenge: Sendable, Equatable {
    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: DigestAlgorithm
    /// Offered qop values, lower-cased; empty for the RFC 2069 form.
    public var qop: [String]
    public var stale: Bool

    public init(
        realm: String, nonce: String, opaque: String? = nil, algorithm: DigestAlgorithm = .md5, qop: [String] = [],
        stale: Bool = false
    ) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qop = qop
        self.stale = stale
    }

    /// Reads a Digest challenge; fails with a reason for another scheme, a missing realm or
    /// nonce, or an algorithm sipterm cannot compute.
    public init(_ field: AuthField) throws {
        guard field.isDigest else { throw SIPParseError("not a Digest challenge (scheme \(field.scheme))") }
        guard let realm = field["realm"] else { throw SIPParseError("Digest challenge without realm") }
        guard let nonce = field["nonce"] else { throw SIPParseError("Digest challenge without nonce") }
        guard let algorithm = DigestAlgorithm(token: field["algorithm"]) else {
            throw SIPParseError("unsupported digest algorithm \(field["algorithm"] ?? "")")
        }
        self.init(
            realm: realm, nonce: nonce, opaque: field["opaque"], algorithm: algorithm,
            qop: (field["qop"] ?? "").split(separator: ",").map { $0.trimmingWhitespace.lowercased() }.filter {
                !$0.isEmpty
            },
            stale: field["stale"]?.lowercased() == "true")
    }
}

/// The digest computation of RFC 2617 / RFC 7616 and the Authorization value that carries it.
public struct DigestResponder: Sendable {
    public var username: String
    public var challenge: DigestChallenge

    public init(username: String, challenge: DigestChallenge) {
        self.username = username
        self.challenge = challenge
    }

    /// HA1 from a password: H(username:realm:password).
    public func ha1(password: String) -> String {
        challenge.algorithm.hash("\(username):\(challenge.realm):\(password)")
    }

    /// The qop sipterm answers with: `auth` when offered (it does not need the body), else
    /// `auth-int`, else none (RFC 2069); nil when the server offers only unknown values.
    public var chosenQop: String?? {
        if challenge.qop.isEmpty { return .some(nil) }
        if challenge.qop.contains("auth") { return "auth" }
        if challenge.qop.contains("auth-int") { return "auth-int" }
        return nil
    }

    /// The `response` value. `ha1` is H(username:realm:password) — the -sess forms extend it here.
    public func response(
        ha1 baseHA1: String, method: String, uri: String, body: [UInt8] = [], qop: String?, cnonce: String,
        nonceCount: UInt32
    ) -> String {
        let algorithm = challenge.algorithm
        let ha1 = algorithm.isSession ? algorithm.hash("\(baseHA1):\(challenge.nonce):\(cnonce)") : baseHA1
        let ha2 =
            qop == "auth-int"
            ? algorithm.hash("\(method):\(uri):\(algorithm.hash(body))")
            : algorithm.hash("\(method):\(uri)")
        guard let qop else { return algorithm.hash("\(ha1):\(challenge.nonce):\(ha2)") }
        return algorithm.hash("\(ha1):\(challenge.nonce):\(DigestResponder.nc(nonceCount)):\(cnonce):\(qop):\(ha2)")
    }

    static func nc(_ count: UInt32) -> String {
        let hex = String(count, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// The Authorization / Proxy-Authorization value, parameters in JsSIP's order.
    public func credentials(
        ha1: String, method: String, uri: String, body: [UInt8] = [], cnonce: String, nonceCount: UInt32 = 1
    ) throws -> AuthField {
        guard let qop = chosenQop else {
            throw SIPParseError("no supported qop in \(challenge.qop.joined(separator: ","))")
        }
        let response = self.response(
            ha1: ha1, method: method, uri: uri, body: body, qop: qop, cnonce: cnonce, nonceCount: nonceCount)
        var parameters: [Parameter] = [
            Parameter("algorithm", challenge.algorithm.rawValue),
            Parameter("username", username, quoted: true),
            Parameter("realm", challenge.realm, quoted: true),
            Parameter("nonce", challenge.nonce, quoted: true),
            Parameter("uri", uri, quoted: true),
            Parameter("response", response, quoted: true),
        ]
        if let opaque = challenge.opaque { parameters.append(Parameter("opaque", opaque, quoted: true)) }
        if let qop {
            parameters.append(Parameter("qop", qop))
            parameters.append(Parameter("cnonce", cnonce, quoted: true))
            parameters.append(Parameter("nc", DigestResponder.nc(nonceCount)))
        }
        return AuthField(scheme: "Digest", parameters: parameters)
    }

    /// A fresh client nonce: 16 random bytes as hex.
    public static func makeCnonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }
}
