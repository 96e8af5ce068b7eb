import NIOCore
import NIOPosix

/// The echo extension's media: an RTP socket that sends every packet back to where it came
/// from, so the caller hears their own voice, and an RTCP socket on the next port that takes
/// the caller's reports (answering them would confuse its round-trip figures).
struct DemoEcho: Sendable {
    let rtp: any Channel
    let rtcp: (any Channel)?
    var port: Int

    /// An even RTP port with RTCP right above it (RFC 3550 §11), so the caller's RTCP reaches a
    /// socket of ours and not some other program's; any RTP port alone when no pair is free.
    static func open() async throws -> DemoEcho {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        func bind(port: Int, echo: Bool) async throws -> any Channel {
            try await DatagramBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DemoEchoHandler(echo: echo))
                    }
                }
                .bind(host: "127.0.0.1", port: port).get()
        }
        for _ in 0..<32 {
            let port = Int.random(in: 10_000...15_999) * 2
            guard let rtp = try? await bind(port: port, echo: true) else { continue }
            if let rtcp = try? await bind(port: port + 1, echo: false) {
                return DemoEcho(rtp: rtp, rtcp: rtcp, port: port)
            }
            try? await rtp.close()
        }
        let rtp = try await bind(port: 0, echo: true)
        guard let port = rtp.localAddress?.port else {
            try? await rtp.close()
            throw DemoLineError("the echo socket has no local port")
        }
        return DemoEcho(rtp: rtp, rtcp: nil, port: port)
    }

    func close() async {
        try? await rtp.close()
        try? await rtcp?.close()
    }
}

/// Writes each datagram back to its sender (or drops it, for RTCP).
private final class DemoEchoHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let echo: Bool

    init(echo: Bool) { self.echo = echo }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard echo else { return }
        let envelope = unwrapInboundIn(data)
        context.writeAndFlush(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: envelope.data)), promise: nil
        )
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}
