import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import NIOWebSocket
import SIPMessage

/// What a connection attempt needs besides the URL.
public struct ConnectionSettings: Sendable {
    public var tls: TLSSettings
    /// An attempt that has not finished (TCP connect, TLS handshake, WebSocket upgrade) by then
    /// fails and counts as a failure of the socket.
    public var connectTimeout: TimeAmount
    public var maxMessageSize: Int
    /// Where host names of sockets are looked up (RFC 3263).
    public var dns: DNSSettings

    public init(
        tls: TLSSettings = TLSSettings(), connectTimeout: TimeAmount = .seconds(10), maxMessageSize: Int = 65_536,
        dns: DNSSettings = DNSSettings()
    ) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.maxMessageSize = maxMessageSize
        self.dns = dns
    }
}

extension Connection {
    /// Opens a connection and returns once it can carry SIP: bound for UDP, connected for TCP,
    /// handshaken for TLS, upgraded with the `sip` subprotocol for WS/WSS. `target` is where
    /// RFC 3263 resolution put the server; without it the URL's host is connected to. The URL's
    /// host names the server either way (TLS SNI and certificate, WebSocket Host).
    public static func open(
        _ configured: SocketURL, at target: ServerTarget? = nil, settings: ConnectionSettings = ConnectionSettings(),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(TransportError) -> Connection {
        let url = target.map { configured.resolved(to: $0) } ?? configured
        // What error messages name: the socket, and where DNS put it when it did.
        let place = target.map { "\(configured) (\($0))" } ?? "\(url)"
        let (events, continuation) = AsyncStream.makeStream(of: ConnectionEvent.self, bufferingPolicy: .unbounded)
        let parser = MessageParser(
            maxMessageSize: settings.maxMessageSize,
            framing: url.kind.isReliable && !url.kind.isWebSocket ? .stream : .datagram)
        let reporter = InboundReporter(continuation: continuation, kind: url.kind, parser: parser)
        let host = url.host.address
        // Completed when a stream connection can carry SIP; always completed, even when the
        // TCP connect itself fails, so no promise is left unfulfilled.
        let ready = group.next().makePromise(of: Void.self)
        if url.kind == .udp { ready.succeed() }
        do {
            let channel: Channel
            var server: SocketAddress?
            switch url.kind {
            case .udp:
                // Not a connected socket: a UA's UDP port takes requests from anyone (a proxy's
                // other port, a peer sending directly), so bind to the local address that
                // reaches the server and address every datagram.
                // getaddrinfo blocks: resolve on NIO's thread pool, never on the cooperative pool.
                let port = url.port
                let remote: SocketAddress
                if let target {
                    remote = try SocketAddress(ipAddress: target.address, port: target.port)
                } else {
                    remote = try await NIOThreadPool.singleton.runIfActive {
                        try SocketAddress.makeAddressResolvingHost(host, port: port)
                    }
                }
                let probe = try await DatagramBootstrap(group: group).connect(to: remote).get()
                let localIP = probe.localAddress?.ipAddress ?? (remote.protocol == .inet6 ? "::" : "0.0.0.0")
                try? await probe.close()
                server = remote
                channel = try await DatagramBootstrap(group: group)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DatagramHandler(reporter: reporter))
                        }
                    }
                    .bind(host: localIP, port: 0).get()
            case .tcp, .tls, .ws, .wss:
                let sslContext = url.kind.isSecure ? try settings.tls.makeContext() : nil
                let serverName = url.host.isIPAddress ? nil : host
                let bootstrap = ClientBootstrap(group: group)
                    .connectTimeout(settings.connectTimeout)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let pipeline = channel.pipeline.syncOperations
                            if let sslContext {
                                try pipeline.addHandler(
                                    NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                            }
                            try pipeline.addHandler(
                                ReadinessHandler(
                                    ready: ready, waitsForTLS: url.kind.isSecure, waitsForUpgrade: url.kind.isWebSocket,
                                    describe: { error in
                                        url.kind.isSecure
                                            ? TLSSettings.describe(error, url: url) : TransportError("\(url): \(error)")
                                    }))
                            if url.kind.isWebSocket {
                                try Connection.addWebSocketUpgrade(
                                    to: channel, url: url, reporter: reporter, maxMessageSize: settings.maxMessageSize,
                                    ready: ready)
                            } else {
                                try pipeline.addHandler(
                                    StreamHandler(
                                        reporter: reporter, maxMessageSize: settings.maxMessageSize,
                                        describeError: { TLSSettings.describe($0, url: url) }))
                            }
                        }
                    }
                if let target {
                    channel = try await bootstrap.connect(
                        to: SocketAddress(ipAddress: target.address, port: target.port)
                    ).get()
                } else {
                    channel = try await bootstrap.connect(host: host, port: url.port).get()
                }
                let timeout = channel.eventLoop.scheduleTask(in: settings.connectTimeout) {
                    ready.fail(
                        TransportError(
                            "no answer from \(place) within \(settings.connectTimeout.nanoseconds / 1_000_000_000) s"))
                }
                if url.kind.isWebSocket { Connection.sendUpgradeRequest(on: channel, url: url) }
                do {
                    try await ready.futureResult.get()
                    timeout.cancel()
                } catch {
                    timeout.cancel()
                    try? await channel.close()
                    throw error
                }
            }
            return Connection(
                url: url, target: target, channel: channel, server: server, events: events, continuation: continuation)
        } catch let error as TransportError {
            ready.fail(error)
            continuation.finish()
            throw error
        } catch {
            ready.fail(error)
            continuation.finish()
            if url.kind.isSecure,
                String(describing: error).contains("SSL") || String(describing: error).contains("ertificate")
            {
                throw TLSSettings.describe(error, url: url)
            }
            throw TransportError("cannot connect to \(place): \(error)")
        }
    }

    private static func addWebSocketUpgrade(
        to channel: Channel, url: SocketURL, reporter: InboundReporter, maxMessageSize: Int,
        ready: EventLoopPromise<Void>
    ) throws {
        let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: max(maxMessageSize, 1 << 14)) { channel, response in
            // RFC 7118 §4: the server must agree to the `sip` subprotocol.
            let offered = response.headers["Sec-WebSocket-Protocol"].flatMap { (value: String) in
                value.lowercased().split(separator: ",")
            }
            let agreed = offered.contains { (name: Substring) in String(name).trimmingWhitespace == "sip" }
            guard agreed else {
                ready.fail(TransportError("WebSocket server at \(url) did not accept the 'sip' subprotocol"))
                return channel.close()
            }
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    WebSocketHandler(reporter: reporter, maxMessageSize: maxMessageSize))
                ready.succeed()
            }
        }
        try channel.pipeline.syncOperations.addHTTPClientHandlers(
            leftOverBytesStrategy: .forwardBytes,
            withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
    }

    private static func sendUpgradeRequest(on channel: Channel, url: SocketURL) {
        var headers = HTTPHeaders()
        headers.add(
            name: "Host", value: url.port == url.kind.defaultPort ? url.host.description : "\(url.host):\(url.port)")
        headers.add(name: "Sec-WebSocket-Protocol", value: "sip")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }
}

/// Completes `ready` when the connection can carry SIP, or fails it with the reason it cannot:
/// TLS handshake done (and, for WebSocket, the upgrade done elsewhere), or any error first.
final class ReadinessHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let ready: EventLoopPromise<Void>
    let waitsForTLS: Bool
    let waitsForUpgrade: Bool
    let describe: @Sendable (Error) -> TransportError

    init(
        ready: EventLoopPromise<Void>, waitsForTLS: Bool, waitsForUpgrade: Bool,
        describe: @escaping @Sendable (Error) -> TransportError
    ) {
        self.ready = ready
        self.waitsForTLS = waitsForTLS
        self.waitsForUpgrade = waitsForUpgrade
        self.describe = describe
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForTLS && !waitsForUpgrade { ready.succeed() }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, !waitsForUpgrade { ready.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        ready.fail(describe(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(TransportError("connection closed before it was ready"))
        context.fireChannelInactive()
    }
}
