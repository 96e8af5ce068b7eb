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
}
