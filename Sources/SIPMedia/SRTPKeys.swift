/// The keys of one SRTP session as sipterm uses them: what it protects with (its own master
/// key and salt) and what it unprotects with (the peer's). SDES gets them from the two
/// `a=crypto` lines, DTLS-SRTP from the handshake's exporter.
public struct SRTPKeys: Sendable, Equatable {
    public var profile: SRTPProfile
    /// Master key followed by master salt (`profile.masterLength` bytes each).
    public var local: [UInt8]
    public var remote: [UInt8]

    public init(profile: SRTPProfile, local: [UInt8], remote: [UInt8]) {
        self.profile = profile
        self.local = local
        self.remote = remote
    }

    /// The keys of a DTLS-SRTP handshake from its exported keying material, laid out by RFC 5764
    /// §4.2 as client key | server key | client salt | server salt; the client writes with the
    /// client half. Nil unless it is exactly two keys and two salts of `profile`.
    public init?(keyingMaterial material: [UInt8], profile: SRTPProfile, isClient: Bool) {
        let k = profile.keyLength
        let s = profile.saltLength
        guard material.count == 2 * (k + s) else { return nil }
        let client = Array(material[0..<k]) + Array(material[(2 * k)..<(2 * k + s)])
        let server = Array(material[k..<(2 * k)]) + Array(material[(2 * k + s)..<(2 * k + 2 * s)])
        self.init(profile: profile, local: isClient ? client : server, remote: isClient ? server : client)
    }

    /// The exporter label of RFC 5764 §4.2.
    public static let exporterLabel = "EXTRACTOR-dtls_srtp"

    public var localKey: [UInt8] { Array(local.prefix(profile.keyLength)) }
    public var localSalt: [UInt8] { Array(local.dropFirst(profile.keyLength)) }
    public var remoteKey: [UInt8] { Array(remote.prefix(profile.keyLength)) }
    public var remoteSalt: [UInt8] { Array(remote.dropFirst(profile.keyLength)) }
}
