/// What a datagram on a shared UDP socket carries, told apart by its first byte (RFC 7983 §7).
///
/// ICE, DTLS and SRTP share one 5-tuple in WebRTC-style media, so the receive path must route each
/// datagram before parsing it. Ranges this softphone does not speak (ZRTP 16–19, TURN channels 64–79)
/// come back as `.unknown` and should be dropped.
public enum DTLSPacketKind: Sendable, Equatable {
    /// STUN (0–3): ICE connectivity checks and keepalives.
    case stun
    /// DTLS (20–63): handshake, alerts and the rest of the key exchange.
    case dtls
    /// RTP or RTCP (128–191): SRTP/SRTCP media and control.
    case rtp
    /// Anything else, including the empty datagram.
    case unknown

    /// Classifies `datagram` by its first byte.
    public init(_ datagram: some Collection<UInt8>) {
        guard let first = datagram.first else {
            self = .unknown
            return
        }
        switch first {
        case 0...3: self = .stun
        case 20...63: self = .dtls
        case 128...191: self = .rtp
        default: self = .unknown
        }
    }
}
