import NIOCore
import NIOPosix

/// One call's media: its SDP offer/answer state, and an RTP socket on the signalling's local
/// address whose `MediaEngine` moves the audio and DTMF in real time. Negotiation happens here,
/// on the actor; the engine gets only the result.
public actor RTPSession {
    public nonisolated let localAddress: String
    /// What the SDP names: the local address, or the public one a NAT maps it to.
    public nonisolated let advertisedAddress: String
    public nonisolated let localPort: Int
    let channel: any Channel
    let rtcpChannel: (any Channel)?
    let engine: MediaEngine
    var offerAnswer: OfferAnswer
    var localDescription: SessionDescription?
    var lastOffer: SessionDescription?
    var negotiated: NegotiatedAudio?
    /// STUN servers to learn a server-reflexive candidate from, and how long gathering may take.
    let stunServers: [SocketAddress]
    let gatheringTimeout: TimeAmount
    /// Our ICE, made the first time an SDP of ours carries it and kept for the call.
    var iceLocal: ICELocal?
    /// The sockets of our host candidates on the other interfaces.
    var iceChannels: [any Channel] = []
    /// Set by `close`: no socket is opened after it.
    var closed = false

    init(
        channel: any Channel, rtcpChannel: (any Channel)?, engine: MediaEngine, localAddress: String,
        advertisedAddress: String, localPort: Int, offerAnswer: OfferAnswer, stunServers: [SocketAddress],
        gatheringTimeout: TimeAmount
    ) {
        self.stunServers = stunServers
        self.gatheringTimeout = gatheringTimeout
        self.advertisedAddress = advertisedAddress
        self.channel = channel
        self.rtcpChannel = rtcpChannel
        self.engine = engine
        self.localAddress = localAddress
        self.localPort = localPort
        self.offerAnswer = offerAnswer
    }

    /// Binds an RTP port on `localAddress` (any free port) and starts the media clock: audio
    /// is read from `source` and played to `sink` once the call's media is negotiated.
    /// `advertisedAddress` (default: the local one) is what the SDP names. With ICE, `stunServers`
    /// are asked for a server-reflexive candidate, for at most `gatheringTimeout`.
    public static func open(
        localAddress: String, advertisedAddress: String? = nil, offerAnswer: OfferAnswer = OfferAnswer(),
        stunServers: [SocketAddress] = [], gatheringTimeout: TimeAmount = .seconds(2),
        source: any AudioSource = NullAudio(),
        sink: any AudioSink = NullAudio(), onTone: @escaping @Sendable (Character, Int) -> Void,
        onEvent: @escaping @Sendable (MediaEvent) -> Void = { _ in }
    ) async throws -> RTPSession {
        let inbound = RTPInbound(rtcp: false)
        let rtcpInbound = RTPInbound(rtcp: true)
        let (channel, rtcpChannel) = try await bindPair(localAddress, inbound, rtcpInbound)
        let engine = MediaEngine(
            channel: channel, rtcpChannel: rtcpChannel, cname: "sipterm@\(localAddress)", source: source, sink: sink,
            onTone: onTone, onEvent: onEvent)
        try await channel.eventLoop.submit {
            inbound.engine = engine
            rtcpInbound.engine = engine
        }.get()
        engine.start()
        return RTPSession(
            channel: channel, rtcpChannel: rtcpChannel, engine: engine, localAddress: localAddress,
            advertisedAddress: advertisedAddress ?? localAddress, localPort: channel.localAddress?.port ?? 0,
            offerAnswer: offerAnswer, stunServers: stunServers, gatheringTimeout: gatheringTimeout)
    }

    /// An even RTP port with RTCP on the next one (RFC 3550 §11), both on the same event loop;
    /// below the ephemeral range so the system does not hand them out meanwhile. Falls back to
    /// any RTP port without RTCP when no pair is free.
    private static func bindPair(
        _ address: String, _ rtp: RTPInbound, _ rtcp: RTPInbound
    ) async throws -> (any Channel, (any Channel)?) {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        func bind(_ handler: RTPInbound, port: Int) async throws -> any Channel {
            try await mediaSocket(on: loop, handler, address, port: port)
        }
        for _ in 0..<32 {
            let port = Int.random(in: 8000...16000) * 2
            guard let first = try? await bind(rtp, port: port) else { continue }
            if let second = try? await bind(rtcp, port: port + 1) { return (first, second) }
            try? await first.close()
        }
        return (try await bind(rtp, port: 0), nil)
    }

    /// A host candidate's socket on another interface, on the engine's event loop.
    private static func bindBase(_ address: String, base: Int, engine: MediaEngine) async throws -> any Channel {
        try await mediaSocket(on: engine.loop, RTPInbound(rtcp: false, base: base, engine: engine), address, port: 0)
    }

    /// Datagrams a wake-up may read before the media clock runs: more than a second of 20 ms
    /// packets. The event loop reads sockets before it runs its timers, so after a stall (the
    /// process lost the CPU) everything that arrived meanwhile is in the jitter buffer when the
    /// clock catches up; with NIO's default of 4 the clock played those slots as lost and then
    /// dropped the packets as late.
    static let readsPerWakeUp: UInt = 64

    private static func mediaSocket(
        on loop: any EventLoop, _ handler: RTPInbound, _ address: String, port: Int
    ) async throws -> any Channel {
        try await DatagramBootstrap(group: loop)
            .channelOption(.maxMessagesPerRead, value: readsPerWakeUp)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
            .bind(host: address, port: port).get()
    }

    public func makeOffer(direction: Direction) async -> String {
        var offer = offerAnswer.offer(
            address: advertisedAddress, port: localPort, direction: direction, previous: localDescription)
        if offerAnswer.profile == .webrtc, offerAnswer.certificate != nil {
            ICENegotiation.add(await localICE(controlling: true), to: &offer)
        }
        localDescription = offer
        lastOffer = offer
        return offer.text
    }

    /// The peer's answer to our last offer (an early answer from a 183 the same way).
    public func applyAnswer(_ text: String) throws(SDPError) {
        guard let offer = lastOffer else { throw SDPError("an answer without an offer") }
        var audio = try offerAnswer.accept(answer: try SessionDescription(parsing: text), to: offer)
        // The answer states the peer's side; ours is its mirror.
        audio.direction = audio.direction.answer
        use(audio)
    }

    /// The answer to the peer's offer, and whether that offer holds sipterm (sendonly/inactive).
    public func makeAnswer(to text: String, hold: Bool) async throws(SDPError) -> (sdp: String, remoteHold: Bool) {
        let offer = try SessionDescription(parsing: text)
        var (answer, audio) = try offerAnswer.answer(
            to: offer, address: advertisedAddress, port: localPort, hold: hold, previous: localDescription)
        if audio.ice != nil { ICENegotiation.add(await localICE(controlling: false), to: &answer) }
        localDescription = answer
        lastOffer = nil
        use(audio)
        let offered = offer.media.first { $0.media == "audio" && $0.port != 0 }
        let direction = offered?.direction ?? offer.direction ?? .sendrecv
        return (answer.text, !direction.receives)
    }

    /// Our credentials and candidates: a host one on the RTP socket and one on a socket of its
    /// own for every other usable interface address (`ICEInterfaces`), and a server-reflexive
    /// one for each distinct address the STUN servers report (waiting at most the gathering
    /// timeout: a server that never answers costs that, no more).
    private func localICE(controlling: Bool) async -> ICELocal {
        if let iceLocal { return iceLocal }
        var hosts = [
            ICECandidate(
                foundation: "1", priority: ICECandidate.priority(kind: .host), address: localAddress,
                port: localPort, kind: .host)
        ]
        for address in closed ? [] : ICEInterfaces.otherAddresses(besides: localAddress) {
            let base = hosts.count
            guard let socket = try? await Self.bindBase(address, base: base, engine: engine),
                let port = socket.localAddress?.port
            else { continue }
            iceChannels.append(socket)
            // Each interface its own foundation; a lower local preference than the RTP socket's.
            hosts.append(
                ICECandidate(
                    foundation: "\(base + 1)",
                    priority: ICECandidate.priority(kind: .host, localPreference: UInt32(65535 - base)),
                    address: address, port: port, kind: .host))
        }
        var candidates = hosts
        let mapped = (try? await engine.gather(servers: stunServers, timeout: gatheringTimeout).get()) ?? []
        for address in mapped {
            guard let ip = address.ipAddress, let port = address.port, ip != localAddress || port != localPort else {
                continue
            }
            candidates.append(
                ICECandidate(
                    foundation: "\(candidates.count + 1)", priority: ICECandidate.priority(kind: .srflx), address: ip,
                    port: port, kind: .srflx, relatedAddress: localAddress, relatedPort: localPort))
        }
        let local = ICELocal(credentials: .random(), candidates: candidates, ssrc: engine.ssrc, cname: engine.cname)
        engine.prepareICE(credentials: local.credentials, hosts: hosts, bases: iceChannels, controlling: controlling)
        iceLocal = local
        return local
    }

    private func use(_ audio: NegotiatedAudio) {
        negotiated = audio
        // The first negotiated codec sipterm can run is sent; all of them are decoded.
        var receiving: [UInt8: VoiceEncoding] = [:]
        for map in audio.codecs {
            if let encoding = VoiceEncoding(map) { receiving[UInt8(truncatingIfNeeded: map.payloadType)] = encoding }
        }
        guard
            let (codec, encoding) = audio.codecs.lazy.compactMap({ map in VoiceEncoding(map).map { (map, $0) } }).first
        else { return }
        var events: [UInt8: Int] = [:]
        for map in audio.telephoneEvents { events[UInt8(truncatingIfNeeded: map.payloadType)] = map.clockRate }
        let event = audio.telephoneEvents.first { $0.payloadType == audio.telephoneEvent }
        engine.configure(
            MediaEngine.Settings(
                payloadType: UInt8(truncatingIfNeeded: codec.payloadType), encoding: encoding, receiving: receiving,
                eventPayloadType: audio.telephoneEvent.map { UInt8(truncatingIfNeeded: $0) },
                eventClockRate: event?.clockRate ?? AudioFormat.sampleRate, receivingEvents: events,
                remote: try? SocketAddress(ipAddress: audio.remoteAddress, port: audio.remotePort),
                sends: audio.direction.sends, receives: audio.direction.receives, srtp: audio.srtp, dtls: audio.dtls,
                rtcpMux: audio.rtcpMux, ice: audio.ice))
    }

    /// A tone for the user's own ear (ringback, call waiting), or nil to stop it.
    public func setLocalTone(_ tone: (any AudioSource)?) { engine.setLocalTone(tone) }

    /// Mute sends silence: the stream, NAT bindings and the peer's RTP timeout stay alive.
    public func setMuted(_ muted: Bool) { engine.setMuted(muted) }

    /// RFC 4733 §2.5: telephone-events every 20 ms with the event's start timestamp, the first
    /// with the marker bit, three end packets. Returns when the tone has been sent.
    public func sendTone(_ tone: Character, duration: Int) async throws(SDPError) {
        guard let audio = negotiated, audio.telephoneEvent != nil else {
            throw SDPError("the peer did not accept telephone-event: DTMF by RFC 4733 is not possible")
        }
        guard audio.direction.sends else { throw SDPError("the call is on hold: no DTMF can be sent") }
        guard let event = TelephoneEvent(tone: tone) else { throw SDPError("no telephone-event for '\(tone)'") }
        do {
            try await engine.sendTone(event, durationMs: duration).get()
        } catch {
            throw SDPError("the media stopped while sending DTMF")
        }
    }

    public func statistics() async -> [String: Double] {
        var stats = (try? await engine.statistics().get()) ?? [:]
        stats["local_port"] = Double(localPort)
        return stats
    }

    public var codec: String? { negotiated?.codecs.first?.encoding }

    /// The call's media security as people read it: `SRTP (SDES AES_CM_128_HMAC_SHA1_80)`,
    /// `SRTP (DTLS …)` once the handshake is done, or `plain` for RTP in the clear; nil before
    /// negotiation.
    public var security: String? {
        guard let negotiated else { return nil }
        let ice = negotiated.ice == nil ? "" : ", ICE " + (engine.iceStatus.withLockedValue { $0 } ?? "checking")
        if negotiated.dtls != nil {
            return (engine.securityStatus.withLockedValue { $0 } ?? "DTLS (handshaking)") + ice
        }
        return (negotiated.srtp.map { "SRTP (SDES \($0.profile.sdesName))" } ?? "plain") + ice
    }

    /// Why the media cannot work (`DTLS: …`, `ICE: …`), once it has failed; it is known as soon
    /// as the failure happens, before its `.failed` event arrives.
    public var failure: String? { engine.failure.withLockedValue { $0 } }

    public func close() async {
        closed = true
        try? await engine.stop().get()
        for socket in iceChannels { try? await socket.close() }
        try? await channel.close()
        try? await rtcpChannel?.close()
    }
}

/// Hands each datagram to the engine, on the socket's event loop.
final class RTPInbound: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let rtcp: Bool
    /// Which host candidate's socket this is (0: the RTP socket).
    let base: Int
    /// Set once, on the event loop, right after the socket is bound.
    var engine: MediaEngine?

    init(rtcp: Bool, base: Int = 0, engine: MediaEngine? = nil) {
        self.rtcp = rtcp
        self.base = base
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        if rtcp {
            engine?.receiveOnRTCPSocket(bytes, from: envelope.remoteAddress)
        } else {
            engine?.receiveOnRTPSocket(bytes, from: envelope.remoteAddress, base: base)
        }
    }
}
