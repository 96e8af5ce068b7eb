import NIOCore
import NIOWebSocket
import SIPMessage

/// Shared by the pipelines: parses one framed message and reports it, or reports why not.
struct InboundReporter: Sendable {
    let continuation: AsyncStream<ConnectionEvent>.Continuation
    let kind: TransportKind
    let parser: MessageParser

    func deliver(_ bytes: [UInt8], from remote: SocketAddress?) {
        let (host, port) = remote?.hostAndPort ?? ("?", 0)
        do {
            let message = try parser.parse(bytes)
            continuation.yield(
                .message(
                    ReceivedMessage(message: message, bytes: bytes, transport: kind, remoteHost: host, remotePort: port)
                ))
        } catch {
            continuation.yield(.malformed(bytes: bytes, reason: "\(error)"))
        }
    }

    func closed(_ error: TransportError?) {
        continuation.yield(.closed(error))
        continuation.finish()
    }
}

/// UDP: every datagram is one message; a keep-alive CRLF pair is answered, a lone CRLF is a pong.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let reporter: InboundReporter
    var error: TransportError?

    init(reporter: InboundReporter) { self.reporter = reporter }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            if bytes.count >= 4 {
                let pong = AddressedEnvelope(
                    remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: [0x0D, 0x0A]))
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            } else {
                reporter.continuation.yield(.pong)
            }
            return
        }
        reporter.deliver(bytes, from: envelope.remoteAddress)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // One datagram that could not go out (or an ICMP error for one) does not end the socket:
        // other peers and the server are still reachable through it.
        self.error = TransportError("UDP: \(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        reporter.closed(error)
    }
}

/// TCP and TLS: bytes are framed by Content-Length; a ping (CRLFCRLF) is answered with CRLF.
final class StreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reporter: InboundReporter
    let describeError: @Sendable (Error) -> TransportError
    var framer: StreamFramer
    var error: TransportError?

    init(reporter: InboundReporter, maxMessageSize: Int, describeError: @escaping @Sendable (Error) -> TransportError) {
        self.reporter = reporter
        self.framer = StreamFramer(maxMessageSize: maxMessageSize)
        self.describeError = describeError
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framer.append(unwrapInboundIn(data).readableBytesView)
        do {
            while let frame = try framer.next() {
                switch frame {
                case .message(let bytes): reporter.deliver(bytes, from: context.remoteAddress)
                case .ping:
                    context.writeAndFlush(
                        wrapOutboundOut(context.channel.allocator.buffer(bytes: [0x0D, 0x0A])), promise: nil)
                case .pong: reporter.continuation.yield(.pong)
                }
            }
        } catch {
            // The stream cannot be resynchronised after a framing error (RFC 4475 §3.1.2.3).
            self.error = TransportError("framing error, connection closed: \(error)")
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if self.error == nil { self.error = describeError(error) }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        reporter.closed(error ?? TransportError("connection closed by the server"))
    }
}

/// WebSocket (RFC 7118): each text or binary frame is one message; a CRLFCRLF text is answered
/// with CRLF as JsSIP does, and ping frames with pong frames.
final class WebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    let reporter: InboundReporter
    var error: TransportError?
    var fragments: [UInt8] = []
    let maxMessageSize: Int

    init(reporter: InboundReporter, maxMessageSize: Int) {
        self.reporter = reporter
        self.maxMessageSize = maxMessageSize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary, .continuation:
            fragments.append(contentsOf: frame.unmaskedData.readableBytesView)
            guard fragments.count <= maxMessageSize else {
                error = TransportError("WebSocket message exceeds \(maxMessageSize) bytes")
                context.close(promise: nil)
                return
            }
            guard frame.fin else { return }
            let bytes = fragments
            fragments = []
            if bytes == [0x0D, 0x0A, 0x0D, 0x0A] {
                let pong = WebSocketFrame(
                    fin: true, opcode: .text, maskKey: .random(),
                    data: context.channel.allocator.buffer(bytes: [0x0D, 0x0A]))
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            } else if bytes == [0x0D, 0x0A] {
                reporter.continuation.yield(.pong)
            } else {
                reporter.deliver(bytes, from: context.remoteAddress)
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            reporter.continuation.yield(.pong)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode()
            error = TransportError("WebSocket closed by the server\(code.map { " (\($0))" } ?? "")")
            context.close(promise: nil)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if self.error == nil { self.error = TransportError("WebSocket error: \(error)") }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        reporter.closed(error ?? TransportError("WebSocket connection closed"))
    }
}
