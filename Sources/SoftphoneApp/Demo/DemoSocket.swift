import NIOCore
import NIOPosix

/// One datagram the demo line received: who sent it and its bytes.
struct DemoDatagram: Sendable {
    var source: SocketAddress
    var bytes: [UInt8]
}

/// The demo line's SIP socket: a UDP channel on 127.0.0.1 whose datagrams come out of an
/// `AsyncStream`, so the `DemoLine` actor handles them one at a time, in arrival order.
struct DemoSocket: Sendable {
    let channel: any Channel
    let datagrams: AsyncStream<DemoDatagram>
    let port: Int

    static func bind() async throws -> DemoSocket {
        let (datagrams, continuation) = AsyncStream.makeStream(of: DemoDatagram.self, bufferingPolicy: .unbounded)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DemoSocketHandler(continuation: continuation))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw DemoLineError("the demo line's socket has no local port")
        }
        return DemoSocket(channel: channel, datagrams: datagrams, port: port)
    }

    func send(_ bytes: [UInt8], to destination: SocketAddress) {
        let envelope = AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: bytes))
        channel.writeAndFlush(envelope, promise: nil)
    }

    func close() async { try? await channel.close() }
}

/// Why the demo line could not start.
public struct DemoLineError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Hands every datagram to the stream; a UDP keep-alive (CRLF CRLF) is answered with a CRLF
/// pong here, as RFC 5626 §4.4.1 servers do, so the user agent sees its line alive.
private final class DemoSocketHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let continuation: AsyncStream<DemoDatagram>.Continuation

    init(continuation: AsyncStream<DemoDatagram>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        if !bytes.isEmpty, bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            if bytes.count >= 4 {
                let pong = AddressedEnvelope(
                    remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: [0x0D, 0x0A]))
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            }
            return
        }
        continuation.yield(DemoDatagram(source: envelope.remoteAddress, bytes: bytes))
    }

    /// A datagram that could not go out (or an ICMP error for one) does not end the line.
    func errorCaught(context: ChannelHandlerContext, error: Error) {}

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
