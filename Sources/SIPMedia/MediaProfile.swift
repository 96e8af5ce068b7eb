/// How a call's audio is carried: what sipterm offers, and what an offer it answers uses.
public enum MediaProfile: String, Sendable, CaseIterable {
    /// RTP/AVP: audio in the clear.
    case plain
    /// RTP/SAVP with RFC 4568 `a=crypto` keys in the SDP (SDES-SRTP).
    case sdes

    /// The profile an offered stream asks for, from its transport protocol: RTP/AVP(F) plain,
    /// RTP/SAVP(F) SDES; nil for one sipterm does not speak (DTLS-SRTP's UDP/TLS/RTP/SAVPF).
    public init?(offeredProto proto: String) {
        switch proto.uppercased() {
        case "RTP/AVP", "RTP/AVPF": self = .plain
        case "RTP/SAVP", "RTP/SAVPF": self = .sdes
        default: return nil
        }
    }

    /// The `m=` transport protocol of an offer in this profile.
    var offerProto: String { self == .sdes ? "RTP/SAVP" : "RTP/AVP" }
}
