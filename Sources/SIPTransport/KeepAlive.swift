/// RFC 5626 keep-alives sent by sipterm (a sipterm extension setting): a double CRLF on TCP/TLS,
/// a ping frame on WebSocket, every `interval`; a connection whose pong does not come within
/// `timeout` is taken as dead and recovered. JsSIP sends none, so WebSocket is off by default.
public struct KeepAlive: Sendable, Equatable {
    public var interval: Duration
    public var timeout: Duration
    public var transports: Set<TransportKind>

    /// RFC 5626 §4.4.1 recommends 95–120 s for connection-oriented transports.
    public init(
        interval: Duration = .seconds(95), timeout: Duration = .seconds(10),
        transports: Set<TransportKind> = [.tcp, .tls]
    ) {
        self.interval = interval
        self.timeout = timeout
        self.transports = transports
    }

    public static let off = KeepAlive(transports: [])
}
