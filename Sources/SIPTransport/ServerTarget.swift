/// One place a socket can connect to, as RFC 3263 resolves it: a transport, an IP address and a
/// port. The socket's own host still names the server (TLS SNI and certificate, WebSocket Host).
public struct ServerTarget: Sendable, Hashable, CustomStringConvertible {
    public var kind: TransportKind
    public var address: String
    public var port: Int

    public init(kind: TransportKind, address: String, port: Int) {
        self.kind = kind
        self.address = address
        self.port = port
    }

    public var description: String {
        address.contains(":") ? "\(kind.rawValue) [\(address)]:\(port)" : "\(kind.rawValue) \(address):\(port)"
    }
}
