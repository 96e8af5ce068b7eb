import NIOCore
import NIOPosix
import NIOWebSocket
import SIPMessage

/// One open socket to a SIP server, whatever the transport: bytes go out with `send`, messages
/// and state come back on `events`. All protocol framing lives in the channel pipeline.
public final class Connection: Sendable {
    /// The socket as connected: a transport and port DNS chose are filled in.
    public let url: SocketURL
    /// Where RFC 3263 resolution sent it; nil when the URL was connected as written.
    public let target: ServerTarget?
    public let events: AsyncStream<ConnectionEvent>
    let channel: Channel
    /// For UDP: where requests go (the socket is not connected).
    let server: SocketAddress?
    let continuation: AsyncStream<ConnectionEvent>.Continuation

    init(
        url: SocketURL, target: ServerTarget? = nil, channel: Channel, server: SocketAddress? = nil,
        events: AsyncStream<ConnectionEvent>,
        continuation: AsyncStream<ConnectionEvent>.Continuation
    ) {
        self.url = url
        self.target = target
        self.channel = channel
        self.server = server
        self.events = events
        self.continuation = continuation
    }

    public var kind: TransportKind { url.kind }

    /// The server's address and port as this connection reaches it (for traces).
    public var remote: String { target.map { "\($0.address):\($0.port)" } ?? "\(url.host.address):\(url.port)" }

    /// The local address and port of the socket (for Via and Contact on UDP/TCP/TLS).
    public var localAddress: (host: String, port: Int)? {
        guard let address = channel.localAddress, let host = address.ipAddress, let port = address.port else {
            return nil
        }
        return (host, port)
    }

    /// Sends one message. A message too large for a UDP datagram is refused with a clear error
    /// rather than fragmented (RFC 3261 §18.1.1 would switch to TCP; the socket list decides
    /// the transport here).
    public func send(_ bytes: [UInt8]) async throws { try await send(bytes, to: nil) }

    /// Sends to the server, or on UDP to `destination` (`host`, `port`): a response goes back to
    /// where its request came from (RFC 3261 §18.2.2 with RFC 3581). Streams have one peer.
    public func send(_ bytes: [UInt8], to destination: (host: String, port: Int)?) async throws {
        switch kind {
        case .udp:
            guard bytes.count <= 65_507 else {
                throw TransportError(
                    "message of \(bytes.count) bytes is too large for UDP (65507 at most); use a TCP or TLS socket")
            }
            let target = try destination.map { try SocketAddress(ipAddress: $0.host, port: $0.port) } ?? server
            guard let remote = target else { throw TransportError("UDP socket has no destination") }
            let envelope = AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: bytes))
            try await channel.writeAndFlush(envelope)
        case .tcp, .tls:
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        case .ws, .wss:
            // RFC 7118: one SIP message per text frame (UTF-8 is what SIP messages carry).
            let frame = WebSocketFrame(
                fin: true, opcode: .text, maskKey: .random(), data: channel.allocator.buffer(bytes: bytes))
            try await channel.writeAndFlush(frame)
        }
    }

    /// Sends an RFC 5626 keep-alive: a double CRLF on TCP/TLS, a ping frame on WebSocket.
    public func sendKeepAlive() async throws {
        switch kind {
        case .udp, .tcp, .tls:
            try await send([0x0D, 0x0A, 0x0D, 0x0A])
        case .ws, .wss:
            let frame = WebSocketFrame(
                fin: true, opcode: .ping, maskKey: .random(), data: channel.allocator.buffer(bytes: [0x73]))
            try await channel.writeAndFlush(frame)
        }
    }

    /// Closes the socket; `events` ends with `.closed(nil)`.
    public func close() async {
        try? await channel.close()
    }
}

extension SocketAddress {
    var hostAndPort: (String, Int) { (ipAddress ?? "?", port ?? 0) }
}
