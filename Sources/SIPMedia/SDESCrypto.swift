/// One RFC 4568 `a=crypto` line: a tag, a crypto suite and one inline master key + salt.
/// Lines sipterm cannot use (an unknown suite, several keys, an MKI, session parameters it
/// does not know, a wrong key length) do not parse, so an answerer simply passes them over.
public struct SDESCrypto: Sendable, Equatable {
    public var tag: Int
    public var profile: SRTPProfile
    /// Master key followed by master salt.
    public var key: [UInt8]

    public init(tag: Int, profile: SRTPProfile, key: [UInt8]) {
        self.tag = tag
        self.profile = profile
        self.key = key
    }

    /// A new random master key and salt for `profile` (from the system's CSPRNG).
    public static func generate(tag: Int, profile: SRTPProfile) -> SDESCrypto {
        var random = SystemRandomNumberGenerator()
        let key = (0..<profile.masterLength).map { _ in UInt8.random(in: 0...255, using: &random) }
        return SDESCrypto(tag: tag, profile: profile, key: key)
    }

    /// The attribute value: `1 AES_CM_128_HMAC_SHA1_80 inline:…`.
    public var attributeValue: String { "\(tag) \(profile.sdesName) inline:\(Base64.encode(key))" }

    /// Parses an `a=crypto` value. A lifetime is accepted (sipterm re-keys far sooner: every
    /// call and every re-offer that changes keys); an MKI is not, since sipterm sends none.
    public init?(attributeValue value: String) {
        let fields = value.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, fields[0].count <= 9, let tag = Int(fields[0]),
            let profile = SRTPProfile(sdesName: String(fields[1]))
        else { return nil }
        let keyParameters = fields[2].split(separator: ";", omittingEmptySubsequences: false)
        guard keyParameters.count == 1, keyParameters[0].hasPrefix("inline:") else { return nil }
        let parts = keyParameters[0].dropFirst("inline:".count).split(separator: "|", omittingEmptySubsequences: false)
        guard let encoded = parts.first, parts.count <= 2 else { return nil }
        if parts.count == 2, parts[1].contains(":") { return nil }
        guard let key = Base64.decode(encoded), key.count == profile.masterLength else { return nil }
        self.init(tag: tag, profile: profile, key: key)
    }
}
