/// How a call's audio is carried: what sipterm offers, and what an offer it answers uses.
public enum MediaProfile: String, Sendable, CaseIterable {
    /// RTP/AVP: audio in the clear.
    case plain
    /// RTP/SAVP with RFC 4568 `a=crypto` keys in the SDP (SDES-SRTP).
    case sdes
    /// UDP/TLS/RTP/SAVP: SRTP keyed by a DTLS handshake on the media path (RFC 5763/5764),
    /// without ICE, as SIP phones (baresip's dtls_srtp) offer it.
    case dtls
    /// What a browser (JsSIP) offers: DTLS-SRTP over ICE with rtcp-mux, BUNDLE and a=mid
    /// (UDP/TLS/RTP/SAVPF). An offered stream is `dtls`; whether it has ICE is its own question.
    case webrtc

    /// The profile an offered stream asks for, from its transport protocol and whether it has an
    /// `a=fingerprint` without `a=crypto` (old RTP/SAVP DTLS offers); nil for one sipterm does
    /// not speak.
    public init?(offeredProto proto: String, fingerprinted: Bool = false) {
        switch proto.uppercased() {
        case "RTP/AVP", "RTP/AVPF": self = .plain
        case "RTP/SAVP", "RTP/SAVPF": self = fingerprinted ? .dtls : .sdes
        case "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF": self = .dtls
        default: return nil
        }
    }

    /// The profile of an offered or answered stream.
    init?(_ media: MediaDescription) {
        let attributes = Set(media.attributes.map(\.name))
        self.init(
            offeredProto: media.proto,
            fingerprinted: attributes.contains("fingerprint") && !attributes.contains("crypto"))
    }

    /// The `m=` transport protocol of an offer in this profile.
    var offerProto: String {
        switch self {
        case .plain: return "RTP/AVP"
        case .sdes: return "RTP/SAVP"
        case .dtls: return "UDP/TLS/RTP/SAVP"
        case .webrtc: return "UDP/TLS/RTP/SAVPF"
        }
    }
}
