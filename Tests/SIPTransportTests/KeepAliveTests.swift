import NIOCore
import NIOPosix
import SIPMessage
import TestSupport
import Testing

@testable import SIPTransport

/// RFC 5626 keep-alives: Kamailio answers them and the connection stays up; a peer that stops
/// answering is detected and the transport recovers.
@Suite("Keep-alives", .serialized)
struct KeepAliveTests {
    @Test(arguments: [TransportKind.tcp, .tls, .ws])
    func answeredPingsKeepTheConnection(_ kind: TransportKind) async throws {
        let kamailio = try await Kamailio.running()
        let keepAlive = KeepAlive(interval: .milliseconds(500), timeout: .milliseconds(700), transports: [kind])
        let transport = Transport(
            sockets: [SocketEntry(url: try kamailio.url(kind))],
            options: .init(
                connection: ConnectionSettings(tls: TLSSettings(caFile: kamailio.certificate)), keepAlive: keepAlive))
        await transport.start()
        let events = await collect(transport.events, timeout: .seconds(4)) { seen in
            seen.contains { if case .disconnected = $0.event { true } else { false } }
        }.map(\.event)
        #expect(
            events == [
                .connecting(socket: try kamailio.url(kind), attempts: 0), .connected(socket: try kamailio.url(kind)),
            ])
        await transport.stop()
    }

    /// A fake peer (the one corner case Kamailio cannot produce): it accepts TCP and never answers.
    @Test func silentPeerIsDetectedAsDead() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let url = try SocketURL(parsing: "tcp://127.0.0.1:\(port)")
        let keepAlive = KeepAlive(interval: .milliseconds(300), timeout: .milliseconds(300), transports: [.tcp])
        let transport = Transport(
            sockets: [SocketEntry(url: url)],
            options: .init(recovery: RecoveryBackoff(minimum: 1, maximum: 1), keepAlive: keepAlive))
        await transport.start()
        let events = await collect(transport.events, timeout: .seconds(5)) { seen in
            seen.contains { if case .recoveryScheduled = $0.event { true } else { false } }
        }.map(\.event)
        await transport.stop()
        #expect(events.prefix(2) == [.connecting(socket: url, attempts: 0), .connected(socket: url)])
        guard case .disconnected(_, true, _, let reason)? = events.dropFirst(2).first else {
            Issue.record("expected a disconnection, got \(events)")
            return
        }
        #expect(reason?.contains("no keep-alive answer") == true)
        #expect(events.last == .recoveryScheduled(attempt: 1, delay: 1))
    }

    /// A fake peer that pings first (Kamailio never does): sipterm must answer a double CRLF with
    /// a single CRLF, as JsSIP does, on TCP.
    @Test func serverPingIsAnswered() async throws {
        let received = ReceivedBytes()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(PingingPeer(received: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let connection = try await Connection.open(try SocketURL(parsing: "tcp://127.0.0.1:\(port)"))
        for _ in 0..<50 where await received.bytes.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await received.bytes == [0x0D, 0x0A])
        await connection.close()
    }
}

actor ReceivedBytes {
    var bytes: [UInt8] = []
    func append(_ more: [UInt8]) { bytes += more }
}

/// Sends an RFC 5626 ping as soon as a client connects and records the answer.
final class PingingPeer: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let received: ReceivedBytes

    init(received: ReceivedBytes) { self.received = received }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: [0x0D, 0x0A, 0x0D, 0x0A])), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(unwrapInboundIn(data).readableBytesView)
        let received = self.received
        Task { await received.append(bytes) }
    }
}
