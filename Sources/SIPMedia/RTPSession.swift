import NIOCore
import NIOPosix

/// One call's media: its SDP offer/answer state and an RTP socket on the signalling's local
/// address. It sends RFC 4733 telephone-events, reports the ones it receives, and follows the
/// peer's packets to wherever they come from (symmetric RTP). Audio frames come with the media issue.
public actor RTPSession {
    public nonisolated let localAddress: String
    public nonisolated let localPort: Int
    let channel: any Channel
    var offerAnswer: OfferAnswer
    var localDescription: SessionDescription?
    var lastOffer: SessionDescription?
    var negotiated: NegotiatedAudio?
    var remote: SocketAddress?
    var learnedRemote = false
    let ssrc = UInt32.random(in: 1...UInt32.max)
    var sequence = UInt16.random(in: 0...UInt16.max)
    let timestampBase = UInt32.random(in: 0...UInt32.max)
    let opened = ContinuousClock.now
    var muted = false
    var packetsSent = 0
    var packetsReceived = 0
    var malformedReceived = 0
    /// The timestamp of the last telephone-event reported, so its three end packets count once.
    var lastToneTimestamp: UInt32?
    let onTone: @Sendable (Character, Int) -> Void
    var receiver: Task<Void, Never>?

    init(
        channel: any Channel, localAddress: String, localPort: Int, offerAnswer: OfferAnswer,
        onTone: @escaping @Sendable (Character, Int) -> Void
    ) {
        self.channel = channel
        self.localAddress = localAddress
        self.localPort = localPort
        self.offerAnswer = offerAnswer
        self.onTone = onTone
    }

    /// Binds an RTP port on `localAddress` (any free port).
    public static func open(
        localAddress: String, offerAnswer: OfferAnswer = OfferAnswer(),
        onTone: @escaping @Sendable (Character, Int) -> Void
    ) async throws -> RTPSession {
        let (stream, sink) = AsyncStream.makeStream(
            of: ([UInt8], SocketAddress).self, bufferingPolicy: .bufferingNewest(512))
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RTPInbound(sink))
                }
            }
            .bind(host: localAddress, port: 0).get()
        let port = channel.localAddress?.port ?? 0
        let session = RTPSession(
            channel: channel, localAddress: localAddress, localPort: port, offerAnswer: offerAnswer, onTone: onTone)
        await session.startReceiving(stream)
        return session
    }

    private func startReceiving(_ stream: AsyncStream<([UInt8], SocketAddress)>) {
        receiver = Task { [weak self] in
            for await (bytes, source) in stream { await self?.receive(bytes, from: source) }
        }
    }

    public func makeOffer(direction: Direction) -> String {
        let offer = offerAnswer.offer(
            address: localAddress, port: localPort, direction: direction, previous: localDescription)
        localDescription = offer
        lastOffer = offer
        return offer.text
    }

    public func applyAnswer(_ text: String) throws(SDPError) {
        guard let offer = lastOffer else { throw SDPError("an answer without an offer") }
        let answer = try SessionDescription(parsing: text)
        let audio = try offerAnswer.accept(answer: answer, to: offer)
        use(audio)
    }

    /// The answer to the peer's offer, and whether that offer holds sipterm (sendonly/inactive).
    public func makeAnswer(to text: String, hold: Bool) throws(SDPError) -> (sdp: String, remoteHold: Bool) {
        let offer = try SessionDescription(parsing: text)
        let (answer, audio) = try offerAnswer.answer(
            to: offer, address: localAddress, port: localPort, hold: hold, previous: localDescription)
        localDescription = answer
        lastOffer = nil
        use(audio)
        let offered = offer.media.first { $0.media == "audio" && $0.port != 0 }
        let direction = offered?.direction ?? offer.direction ?? .sendrecv
        return (answer.text, !direction.receives)
    }

    private func use(_ audio: NegotiatedAudio) {
        negotiated = audio
        // Until the peer's own packets show where it really is, send where its SDP says.
        if !learnedRemote { remote = try? SocketAddress(ipAddress: audio.remoteAddress, port: audio.remotePort) }
    }

    public func setMuted(_ muted: Bool) { self.muted = muted }

    /// RFC 4733 §2.5: a start packet with the marker bit, updates every 50 ms, three end packets,
    /// all with the event's start timestamp. Returns when the tone has been sent.
    public func sendTone(_ tone: Character, duration: Int) async throws(SDPError) {
        guard let audio = negotiated, let payloadType = audio.telephoneEvent else {
            throw SDPError("the peer did not accept telephone-event: DTMF by RFC 4733 is not possible")
        }
        guard audio.direction.sends else { throw SDPError("the call is on hold: no DTMF can be sent") }
        guard let event = TelephoneEvent(tone: tone) else { throw SDPError("no telephone-event for '\(tone)'") }
        let timestamp = currentTimestamp()
        let total = UInt16(clamping: duration * 8)
        var elapsed: UInt16 = 0
        var first = true
        while elapsed < total {
            elapsed = min(total, elapsed &+ 400)
            send(event: event, duration: elapsed, end: false, marker: first, timestamp: timestamp, type: payloadType)
            first = false
            if elapsed < total { try? await Task.sleep(for: .milliseconds(50)) }
        }
        for _ in 0..<3 {
            send(event: event, duration: total, end: true, marker: false, timestamp: timestamp, type: payloadType)
        }
    }

    private func currentTimestamp() -> UInt32 {
        let elapsed = ContinuousClock.now - opened
        let samples = elapsed.components.seconds * 8000 + elapsed.components.attoseconds / 125_000_000_000_000
        return timestampBase &+ UInt32(truncatingIfNeeded: samples)
    }

    private func send(
        event: TelephoneEvent, duration: UInt16, end: Bool, marker: Bool, timestamp: UInt32, type: Int
    ) {
        guard let remote else { return }
        var payload = event
        payload.duration = duration
        payload.isEnd = end
        sequence &+= 1
        let packet = RTPPacket(
            marker: marker, payloadType: UInt8(truncatingIfNeeded: type), sequenceNumber: sequence,
            timestamp: timestamp, ssrc: ssrc, payload: payload.bytes)
        let buffer = channel.allocator.buffer(bytes: packet.bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
        packetsSent += 1
    }

    private func receive(_ bytes: [UInt8], from source: SocketAddress) {
        guard let packet = try? RTPPacket(parsing: bytes) else {
            malformedReceived += 1
            return
        }
        packetsReceived += 1
        if remote != source {
            remote = source
        }
        learnedRemote = true
        guard let type = negotiated?.telephoneEvent, Int(packet.payloadType) == type,
            let event = try? TelephoneEvent(parsing: packet.payload), event.isEnd,
            lastToneTimestamp != packet.timestamp, let tone = event.tone
        else { return }
        lastToneTimestamp = packet.timestamp
        onTone(tone, Int(event.duration) / 8)
    }

    public func statistics() -> [String: Double] {
        var stats: [String: Double] = [
            "packets_sent": Double(packetsSent), "packets_received": Double(packetsReceived),
            "local_port": Double(localPort),
        ]
        if let codec = negotiated?.codecs.first { stats["payload_type"] = Double(codec.payloadType) }
        return stats
    }

    public func close() async {
        receiver?.cancel()
        try? await channel.close()
    }
}

/// Hands each datagram to the session's stream.
final class RTPInbound: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let sink: AsyncStream<([UInt8], SocketAddress)>.Continuation

    init(_ sink: AsyncStream<([UInt8], SocketAddress)>.Continuation) { self.sink = sink }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        sink.yield((Array(envelope.data.readableBytesView), envelope.remoteAddress))
    }
}
