import NIOConcurrencyHelpers
import NIOCore

/// The real-time half of one call's media, confined to the event loop of its RTP socket: a
/// 20 ms clock sends captured audio (or RFC 4733 events while a tone plays) and plays received
/// audio out of the jitter buffer. Signalling never runs here and this never waits on it.
final class MediaEngine: @unchecked Sendable {
    /// What negotiation settled, handed over from the session actor.
    struct Settings: Sendable {
        /// What is sent: the first negotiated codec.
        var payloadType: UInt8
        var encoding: VoiceEncoding
        /// Every negotiated codec the peer may send, by payload type.
        var receiving: [UInt8: VoiceEncoding]
        /// The telephone-event to send DTMF with, and its clock rate.
        var eventPayloadType: UInt8?
        var eventClockRate = AudioFormat.sampleRate
        /// Every negotiated telephone-event the peer may send, with its clock rate.
        var receivingEvents: [UInt8: Int] = [:]
        var remote: SocketAddress?
        var sends: Bool
        var receives: Bool
        /// SRTP keys of an SDES call; nil for plain RTP and DTLS-SRTP.
        var srtp: SRTPKeys? = nil
        /// The handshake that keys a DTLS-SRTP call.
        var dtls: DTLSParameters? = nil
        /// RTCP goes on the RTP socket and comes in on it (RFC 5761).
        var rtcpMux = false
        /// The peer's ICE: media goes to the pair the checks choose.
        var ice: ICERemote? = nil
    }

    /// A DTMF tone being sent: its event, length and progress in samples, and who waits for it.
    struct ToneJob {
        var event: TelephoneEvent
        var durationMs: Int
        /// The tone's length in the telephone-event's clock units, set when it starts.
        var totalSamples = 0
        var sentSamples = 0
        var startTimestamp: UInt32 = 0
        var endPacketsLeft = 3
        var started = false
        let done: EventLoopPromise<Void>
    }

    let channel: any Channel
    /// The RTCP socket (RTP port + 1), when one could be bound.
    let rtcpChannel: (any Channel)?
    let loop: any EventLoop
    let cname: String
    let onTone: @Sendable (Character, Int) -> Void
    let onEvent: @Sendable (MediaEvent) -> Void
    /// The security as people read it, once a handshake has settled it (read off the loop).
    let securityStatus = NIOLockedValueBox<String?>(nil)
    var dtlsPath = DTLSPath()
    var icePath = ICEPath()
    /// The ICE pair as people read it, once chosen (read off the loop).
    let iceStatus = NIOLockedValueBox<String?>(nil)
    /// Why the media cannot work (the first DTLS or ICE failure), set before the failure's event
    /// is sent or its alert leaves, so signalling that races the event still sees it.
    let failure = NIOLockedValueBox<String?>(nil)
    private(set) var settings: Settings?
    private(set) var learnedRemote: SocketAddress?
    var learnedRTCPRemote: SocketAddress?
    private var source: any AudioSource
    private var sink: any AudioSink
    private var muted = false
    /// A tone the phone plays to its own user (ringback, call waiting), mixed into the playout.
    private var localTone: (any AudioSource)?

    let ssrc = UInt32.random(in: 1...UInt32.max)
    private var sequence = UInt16.random(in: 0...UInt16.max)
    private(set) var timestamp = UInt32.random(in: 0...UInt32.max)
    var sender = SenderStatistics()
    var reception = ReceptionStatistics(clockRate: AudioFormat.sampleRate)
    /// The coders of the negotiated codecs, by payload type, and the one that played last (it
    /// conceals a loss).
    private var coders: [UInt8: any VoiceCodec] = [:]
    private var lastDecoder: (any VoiceCodec)?
    /// The peer's last SR (its NTP middle 32 bits) and when it came, for our reports' LSR/DLSR.
    var lastSenderReport: (ntpMiddle: UInt32, arrival: NIODeadline)?
    var roundTrip: Double?
    var peerFractionLost: Double?
    private var marker = true
    private var tones: [ToneJob] = []

    private var jitter = JitterBuffer()
    private(set) var packetsReceived = 0
    private(set) var malformedReceived = 0
    private var lastToneTimestamp: UInt32?
    private(set) var remoteSSRC: UInt32?
    /// The call's SRTP, when its keys are negotiated; replaced when a re-offer changes them.
    var srtp: SRTPContext?
    /// Why SRTP could not start (libsrtp refused the keys): nothing is sent or played then.
    var srtpFailure: String?

    private var clock: RepeatedTask?
    private var started: NIODeadline?
    private var framesDone: Int64 = 0
    /// Frames the clock neither sent nor played because it woke up too late for them.
    private var framesSkipped: Int64 = 0
    /// The most frames that were due at one wake-up: how long the clock was kept waiting.
    private var worstLateness: Int64 = 0
    /// A late tick has handed its catch-up to a task after the next poll of the sockets.
    private var catchUpDeferred = false

    init(
        channel: any Channel, rtcpChannel: (any Channel)?, cname: String, source: any AudioSource,
        sink: any AudioSink, onTone: @escaping @Sendable (Character, Int) -> Void,
        onEvent: @escaping @Sendable (MediaEvent) -> Void = { _ in }
    ) {
        self.onEvent = onEvent
        self.channel = channel
        self.rtcpChannel = rtcpChannel
        self.cname = cname
        self.loop = channel.eventLoop
        self.source = source
        self.sink = sink
        self.onTone = onTone
    }

    // MARK: Control (any thread; runs on the loop)

    func start() {
        loop.execute {
            guard self.clock == nil else { return }
            self.started = .now()
            self.clock = self.loop.scheduleRepeatedTask(initialDelay: .milliseconds(20), delay: .milliseconds(10)) {
                _ in self.tick()
            }
        }
    }

    func configure(_ settings: Settings) {
        loop.execute {
            if let old = self.settings, old.payloadType != settings.payloadType || old.encoding != settings.encoding {
                self.marker = true
            }
            let iceChanged = self.settings?.ice != settings.ice
            self.settings = settings
            if iceChanged { self.configureICE(settings.ice) }
            if settings.dtls == nil {
                self.configureDTLS(nil)
                self.useKeys(settings.srtp)
            } else {
                self.configureDTLS(settings.dtls)
            }
            var coders: [UInt8: any VoiceCodec] = [:]
            for (type, encoding) in settings.receiving.merging(
                [settings.payloadType: settings.encoding], uniquingKeysWith: { $1 })
            {
                // A re-INVITE keeping a codec keeps its coder (and the decoder's state).
                if let kept = self.coders[type], kept.encoding == encoding {
                    coders[type] = kept
                } else {
                    coders[type] = encoding.makeCodec()
                }
            }
            self.coders = coders
            self.prepareJitterBuffer(for: settings.encoding)
        }
    }

    /// A new SRTP context when the keys change; the same one (its rollover counters and replay
    /// window) while they stay.
    func useKeys(_ keys: SRTPKeys?) {
        guard srtp?.keys != keys || (keys != nil && srtp == nil) else { return }
        srtpFailure = nil
        guard let keys else {
            srtp = nil
            return
        }
        do {
            srtp = try SRTPContext(keys: keys)
        } catch {
            srtp = nil
            srtpFailure = error.description
        }
    }

    /// Whether packets may flow: a secured call whose SRTP failed sends and plays nothing.
    var mediaAllowed: Bool {
        !icePath.failed && ((settings?.srtp == nil && settings?.dtls == nil) || srtp != nil)
    }

    /// Where media goes: where the peer's media comes from, else the ICE pair, else its SDP.
    /// With ICE the selected pair is where media goes (RFC 8445 §12); without it the address
    /// the peer's packets come from (symmetric RTP), else its SDP's.
    var mediaDestination: SocketAddress? { icePath.selected ?? learnedRemote ?? settings?.remote }

    /// A jitter buffer (and reception statistics) on the codec's RTP clock, new when the clock
    /// changes: Opus frames are 960 ticks of 48 kHz, G.711 ones 160 of 8 kHz.
    private func prepareJitterBuffer(for encoding: VoiceEncoding) {
        guard jitter.clockRate != encoding.rtpClockRate else { return }
        jitter = JitterBuffer(clockRate: encoding.rtpClockRate, frameSamples: encoding.timestampStep)
        reception = ReceptionStatistics(clockRate: encoding.rtpClockRate)
    }

    func setMuted(_ muted: Bool) { loop.execute { self.muted = muted } }

    func setLocalTone(_ tone: (any AudioSource)?) { loop.execute { self.localTone = tone } }

    /// Sends a tone as telephone-events; the future completes when its last packet has left.
    func sendTone(_ event: TelephoneEvent, durationMs: Int) -> EventLoopFuture<Void> {
        let promise = loop.makePromise(of: Void.self)
        loop.execute {
            self.tones.append(ToneJob(event: event, durationMs: durationMs, done: promise))
        }
        return promise.futureResult
    }

    func statistics() -> EventLoopFuture<[String: Double]> {
        loop.submit {
            var stats: [String: Double] = [
                "packets_sent": Double(self.sender.packetsSent), "packets_received": Double(self.packetsReceived),
                "jitter_buffer_frames": Double(self.jitter.statistics.currentDelay),
                "late": Double(self.jitter.statistics.late), "concealed": Double(self.jitter.statistics.lost),
                "jitter_buffer_resyncs": Double(self.jitter.statistics.resyncs),
                "jitter_buffer_dropped": Double(self.jitter.statistics.dropped),
                "clock_frames_skipped": Double(self.framesSkipped),
                "clock_worst_lateness_ms": Double(self.worstLateness) * 20,
            ]
            if let settings = self.settings { stats["payload_type"] = Double(settings.payloadType) }
            // Where the media runs, so a capture (or a firewall rule) can pick this call's packets.
            if let port = self.iceChannel(self.icePath.selectedBase).localAddress?.port {
                stats["local_port"] = Double(port)
            }
            if let port = self.mediaDestination?.port { stats["remote_port"] = Double(port) }
            if let srtp = self.srtp {
                stats["srtp_auth_failures"] = Double(srtp.authenticationFailures)
                stats["srtp_replays"] = Double(srtp.replays)
                stats["srtp_other_failures"] = Double(srtp.otherFailures)
            }
            stats["loss_fraction"] = Double(self.reception.fractionLost)
            stats["lost"] = Double(max(0, self.reception.cumulativeLost))
            stats["jitter_ms"] = self.reception.jitterSeconds * 1000
            if let rtt = self.roundTrip { stats["rtt_ms"] = rtt * 1000 }
            if let lost = self.peerFractionLost { stats["peer_loss_fraction"] = lost }
            return stats
        }
    }

    func stop() -> EventLoopFuture<Void> {
        loop.submit {
            self.clock?.cancel()
            self.clock = nil
            self.sendReport(bye: true)
            self.closeDTLS()
            self.closeICE()
            for tone in self.tones { tone.done.succeed(()) }
            self.tones = []
            self.sink.close()
            self.source.close()
        }
    }

    // MARK: The clock

    /// Frames sent at once when the clock wakes up late: about what a peer's jitter buffer
    /// still plays in time. Older frames are not sent (the peer has played their slots) but
    /// their time passes in the RTP timestamp, so the peer conceals them as lost; a marker
    /// would make it start a talkspurt and wait out its whole delay again in silence.
    static let sendBurstFrames: Int64 = 5
    /// Frames played at once when the clock wakes up late: a second's worth, all of it in the
    /// jitter buffer since the sockets are read first. A file keeps the whole call; a sound
    /// card takes what its buffer holds. Beyond it the time is skipped.
    static let playCatchUpFrames: Int64 = 50

    /// Runs every 10 ms and does every 20 ms frame that is due, so the stream keeps its rate
    /// however late a wake-up is.
    private func tick() {
        guard let started else { return }
        let due = (NIODeadline.now() - started).nanoseconds / 20_000_000
        let behind = due - framesDone
        guard behind > 0 else { return }
        if behind > 2 && !catchUpDeferred {
            // Late: the sockets are polled first, so what arrived meanwhile is in the jitter
            // buffer before its slots are played. A thread stopped after a wake-up that found
            // only this timer runs it before any read. A task handed to `execute` would run in
            // the same pass over the loop's tasks, before the next poll; one a millisecond away
            // is not due in that pass, so the loop polls its sockets before it.
            catchUpDeferred = true
            loop.scheduleTask(in: .milliseconds(1)) { self.tick() }
            return
        }
        catchUpDeferred = false
        worstLateness = max(worstLateness, behind)
        let played = min(behind, Self.playCatchUpFrames)
        let sent = min(behind, Self.sendBurstFrames)
        skipSending(behind - played)
        framesDone += behind - played
        framesSkipped += behind - played
        for index in 0..<played {
            framesDone += 1
            if index >= played - sent { sendFrame() } else { skipSending(1) }
            playFrame()
            if framesDone % Self.reportIntervalFrames == 0 { sendReport() }
        }
    }

    /// Frames whose time has passed unsent: the timestamp moves on over them (RFC 3550 §5.1,
    /// the sampling instant).
    private func skipSending(_ frames: Int64) {
        guard frames > 0 else { return }
        let step = Int64(settings?.encoding.timestampStep ?? AudioFormat.frameSamples)
        timestamp &+= UInt32(truncatingIfNeeded: frames &* step)
    }

    private func sendFrame() {
        var samples = source.read(AudioFormat.frameSamples)
        defer { timestamp &+= UInt32(settings?.encoding.timestampStep ?? AudioFormat.frameSamples) }
        guard let settings, settings.sends, iceReady, let remote = mediaDestination else { return }
        if !tones.isEmpty, let type = settings.eventPayloadType {
            sendToneFrame(type: type, clockRate: settings.eventClockRate, to: remote)
            return
        }
        // Muted: silence keeps the stream (and NAT bindings, and the peer's RTP timeout) alive.
        if muted || samples.count != AudioFormat.frameSamples {
            samples = muted ? [] : Array(samples.prefix(AudioFormat.frameSamples))
            samples += Array(repeating: 0, count: AudioFormat.frameSamples - samples.count)
        }
        guard let coder = coders[settings.payloadType], let payload = coder.encode(samples) else { return }
        send(
            RTPPacket(
                marker: marker, payloadType: settings.payloadType, sequenceNumber: 0, timestamp: timestamp,
                ssrc: ssrc, payload: payload), to: remote)
        marker = false
    }

    /// One 20 ms step of the first tone; durations count in the telephone-event's own clock
    /// (`clockRate`: 8000, or 48000 on an Opus call).
    private func sendToneFrame(type: UInt8, clockRate: Int, to remote: SocketAddress) {
        guard var job = tones.first else { return }
        let step = clockRate / 50
        if !job.started {
            job.started = true
            job.startTimestamp = timestamp
            job.totalSamples = job.durationMs * clockRate / 1000
        }
        if job.sentSamples < job.totalSamples {
            job.sentSamples = min(job.totalSamples, job.sentSamples + step)
            var event = job.event
            event.duration = UInt16(clamping: job.sentSamples)
            send(
                RTPPacket(
                    marker: job.sentSamples <= step, payloadType: type, sequenceNumber: 0,
                    timestamp: job.startTimestamp, ssrc: ssrc, payload: event.bytes), to: remote)
            tones[0] = job
            return
        }
        var event = job.event
        event.duration = UInt16(clamping: job.totalSamples)
        event.isEnd = true
        // RFC 4733 §2.5.1.4: the end packet three times.
        for _ in 0..<job.endPacketsLeft {
            send(
                RTPPacket(
                    marker: false, payloadType: type, sequenceNumber: 0, timestamp: job.startTimestamp, ssrc: ssrc,
                    payload: event.bytes), to: remote)
        }
        tones.removeFirst()
        marker = true
        job.done.succeed(())
    }

    private func send(_ packet: RTPPacket, to remote: SocketAddress) {
        var packet = packet
        sequence &+= 1
        packet.sequenceNumber = sequence
        guard let bytes = secured(packet.bytes, rtcp: false) else { return }
        sendDatagram(bytes, to: remote, from: icePath.selectedBase)
        sender.sent(packet)
    }

    private func playFrame() {
        let samples: [Int16]
        switch jitter.pop() {
        case .audio(let type, let payload):
            if let coder = coders[type] {
                lastDecoder = coder
                samples = coder.decode(payload)
            } else {
                samples = Array(repeating: 0, count: AudioFormat.frameSamples)
            }
        case .missing:
            samples = lastDecoder?.conceal() ?? Array(repeating: 0, count: AudioFormat.frameSamples)
        case .waiting:
            samples = Array(repeating: 0, count: AudioFormat.frameSamples)
        }
        var out = settings?.receives == false ? Array(repeating: 0, count: samples.count) : samples
        if let localTone {
            let tone = localTone.read(out.count)
            for index in out.indices where index < tone.count {
                out[index] = Int16(clamping: Int32(out[index]) + Int32(tone[index]))
            }
        }
        sink.write(out)
    }

    // MARK: Receiving (on the loop, from the socket's handler)

    /// A datagram on the RTP socket, routed by its first byte (RFC 7983): DTLS to the
    /// handshake, RTCP (with rtcp-mux) to the reports, RTP to the jitter buffer.
    /// `base` is the socket it came in on: 0 for the RTP socket, 1… for the other host
    /// candidates' sockets (their STUN goes to the ICE agent with it; media is media).
    func receiveOnRTPSocket(_ bytes: [UInt8], from source: SocketAddress, base: Int = 0) {
        switch DTLSPacketKind(bytes) {
        case .dtls:
            receiveDTLS(bytes, from: source)
        case .rtp where bytes.count > 1 && (192...223).contains(bytes[1]):
            // RFC 5761 §4: RTCP packet types 192–223 never collide with RTP payload types.
            if settings?.rtcpMux == true { receiveRTCP(bytes, from: source) }
        case .rtp:
            receive(bytes, from: source)
        case .stun:
            receiveSTUN(bytes, from: source, base: base)
        case .unknown:
            malformedReceived += 1
        }
    }

    func receive(_ bytes: [UInt8], from source: SocketAddress) {
        guard let plain = opened(bytes, rtcp: false) else { return }
        guard let packet = try? RTPPacket(parsing: plain) else {
            malformedReceived += 1
            return
        }
        packetsReceived += 1
        // Symmetric RTP: answer to where the peer's packets really come from.
        learnedRemote = source
        remoteSSRC = packet.ssrc
        // The peer may send any codec it negotiated: the buffer follows its clock.
        if let encoding = settings?.receiving[packet.payloadType] { prepareJitterBuffer(for: encoding) }
        let now = Double((NIODeadline.now() - (started ?? .now())).nanoseconds) / 1e9
        reception.received(sequence: packet.sequenceNumber, timestamp: packet.timestamp, arrival: now)
        if let rate = settings?.receivingEvents[packet.payloadType] {
            receiveEvent(packet, clockRate: rate)
            return
        }
        jitter.insert(packet, arrival: now)
    }

    /// What goes on the wire: the packet protected when the call has SRTP; nil when a secured
    /// call has no working SRTP (then nothing is sent in the clear).
    func secured(_ bytes: [UInt8], rtcp: Bool) -> [UInt8]? {
        guard let srtp else { return mediaAllowed ? bytes : nil }
        return rtcp ? srtp.protectRTCP(bytes) : srtp.protect(bytes)
    }

    /// What came off the wire, checked and decrypted when the call has SRTP; nil (and
    /// counted by the context) for anything that fails. Nothing is taken before negotiation:
    /// until the answer says, a packet may as well be SRTP that would play as noise.
    func opened(_ bytes: [UInt8], rtcp: Bool) -> [UInt8]? {
        guard settings != nil else { return nil }
        guard let srtp else { return mediaAllowed ? bytes : nil }
        return rtcp ? srtp.unprotectRTCP(bytes) : srtp.unprotect(bytes)
    }

    private func receiveEvent(_ packet: RTPPacket, clockRate: Int) {
        guard let event = try? TelephoneEvent(parsing: packet.payload), event.isEnd,
            lastToneTimestamp != packet.timestamp, let tone = event.tone
        else { return }
        lastToneTimestamp = packet.timestamp
        onTone(tone, Int(event.duration) * 1000 / max(clockRate, 1))
    }
}
