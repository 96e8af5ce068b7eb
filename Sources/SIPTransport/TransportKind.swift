/// The five ways sipterm reaches a SIP server. JsSIP knows only WebSocket (RFC 7118); a terminal
/// phone also speaks UDP, TCP and TLS, behind the same interface.
public enum TransportKind: String, Sendable, CaseIterable, Hashable {
    case udp
    case tcp
    case tls
    case ws
    case wss

    /// The Via transport token.
    public var viaTransport: String { rawValue.uppercased() }

    /// True when the transport delivers in order without loss, so transactions skip retransmission.
    public var isReliable: Bool { self != .udp }

    /// True when the transport is encrypted and the server certificate is verified.
    public var isSecure: Bool { self == .tls || self == .wss }

    public var isWebSocket: Bool { self == .ws || self == .wss }

    public var defaultPort: Int {
        switch self {
        case .udp, .tcp: return 5060
        case .tls: return 5061
        case .ws: return 80
        case .wss: return 443
        }
    }

    /// The `transport=` URI parameter value.
    public var uriParameter: String { rawValue }
}
