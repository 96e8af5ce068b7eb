/// An adaptive jitter buffer for one RTP audio stream (RFC 3550 packets). It holds no clock: the
/// caller says when each packet arrived and calls `pop()` once per frame period from its playout
/// clock, so every decision is reproducible.
///
/// Playout follows the sender's timestamps: each `pop()` plays the slot one frame after the last,
/// so a packet that has not arrived when its slot comes is played as `.missing` (the caller
/// conceals it) and, if it turns up later, is dropped as late. Packets are ordered by extended
/// sequence number (16-bit wraparound undone) and duplicates are dropped.
///
/// The delay starts at `minimumDelayFrames`; playout begins once that many frames are buffered.
/// The target delay follows the RFC 3550 §A.8 interarrival jitter (three times the estimate, in
/// frames, plus one), clamped to `minimumDelayFrames...maximumDelayFrames`, and is raised at once
/// by a late packet to the delay it would have needed. The buffer grows towards a higher target
/// straight away (one concealed frame per `pop()`), and shrinks towards a lower one by dropping one
/// frame a second at most. A new talkspurt (marker bit) arriving at an empty buffer restarts the
/// prefetch at the current target; a sequence or timestamp jump beyond `maximumDelayFrames`
/// (the sender restarted, or a long outage) flushes the buffer and starts over.
public struct JitterBuffer: Sendable {
    /// The next frame to play.
    public enum Frame: Sendable, Equatable {
        case audio(payloadType: UInt8, payload: [UInt8])
        /// Lost or late, or a frame inserted to grow the delay: conceal.
        case missing
        /// Nothing buffered yet, prefetching, or the stream has paused: play silence.
        case waiting
    }

    public struct Statistics: Sendable, Equatable {
        /// Packets given to `insert`.
        public var received = 0
        public var duplicates = 0
        /// Packets that arrived after their slot was played (dropped).
        public var late = 0
        /// Slots played as `.missing` because their packet was lost or late. Slots in a gap the
        /// sender left in its timestamps without skipping a sequence number (silence) are not
        /// losses and are taken back out once the next packet shows that.
        public var lost = 0
        /// Packets that arrived after a higher sequence number and were still in time.
        public var reorders = 0
        /// Frames played as `.audio`.
        public var played = 0
        /// Frames of concealment inserted to grow the delay.
        public var stretched = 0
        /// Packets discarded to shrink the delay, on overflow, or flushed by a resynchronisation.
        public var dropped = 0
        /// Restarts of the prefetch: new talkspurts and sequence/timestamp jumps.
        public var resyncs = 0
        /// The delay being played out, in frames.
        public var currentDelay: Int
        /// The delay the buffer is moving towards, in frames.
        public var targetDelay: Int
        /// RFC 3550 §A.8 interarrival jitter, in frames.
        public var jitter: Double = 0
        /// Samples per frame: the configured size until the first consecutive packets show theirs.
        public var frameSamples: Int
    }

    private struct Entry: Sendable {
        var sequence: Int
        var timestamp: Int
        var packet: RTPPacket
    }

    private enum Phase: Sendable { case idle, prefetching, playing }

    /// Frames played (or waited) between two one-frame reductions of the delay, and between two
    /// one-frame decays of the raise a late packet caused: one second at 20 ms.
    public static let shrinkInterval = 50
    /// How far back (in sequence numbers) duplicates are recognised; a packet further back than
    /// this is taken as a restart of the sender's numbering.
    static let window = 128
    /// Packets held at most; past it the oldest go. More than a second of 20 ms frames, so a
    /// playout clock that lost the CPU that long still finds what arrived meanwhile.
    public static let capacity = 64

    public let clockRate: Int
    public let minimumDelayFrames: Int
    public let maximumDelayFrames: Int
    public private(set) var statistics: Statistics

    private var frameSamples: Int
    private var frameSizeLearned = false
    private var phase = Phase.idle
    /// Packets waiting to be played, sorted by extended sequence number.
    private var buffer: [Entry] = []
    /// Extended sequence number and timestamp of the highest sequence number received.
    private var highestSequence = 0
    private var highestTimestamp = 0
    /// Which of the last `window` sequence numbers have been received (indexed modulo `window`).
    private var seen = [Bool](repeating: false, count: JitterBuffer.window)
    /// The timestamp of the next slot to play; while prefetching, the oldest timestamp still
    /// accepted (nil: any).
    private var playoutTimestamp: Int?
    private var prefetchPops = 0
    private var lastPlayedSequence: Int?
    /// Slots counted as lost since the last packet played (see `Statistics.lost`).
    private var missingSinceLastPlayed = 0
    private var dryPops = 0
    private var lastTransit: Double?
    private var jitter = 0.0
    /// The delay the last late packet asked for; decays one frame per `shrinkInterval`.
    private var lateDelay = 0
    private var lateDecayPops = 0
    private var shrinkPops = 0

    public init(
        clockRate: Int = 8000, frameSamples: Int = 160, minimumDelayFrames: Int = 2, maximumDelayFrames: Int = 12
    ) {
        self.clockRate = max(1, clockRate)
        self.frameSamples = max(1, frameSamples)
        self.minimumDelayFrames = max(1, minimumDelayFrames)
        self.maximumDelayFrames = max(self.minimumDelayFrames, maximumDelayFrames)
        statistics = Statistics(
            currentDelay: self.minimumDelayFrames, targetDelay: self.minimumDelayFrames,
            frameSamples: self.frameSamples)
    }

    /// Packets buffered and not yet played.
    public var count: Int { buffer.count }

    // MARK: - Arrival

    /// A packet arrived at `arrival` (seconds, any monotonic origin).
    public mutating func insert(_ packet: RTPPacket, arrival: Double) {
        statistics.received += 1
        guard phase != .idle else {
            highestSequence = Int(packet.sequenceNumber)
            highestTimestamp = Int(packet.timestamp)
            restart(with: packet, arrival: arrival, flush: false)
            return
        }
        let sequenceDelta = Int(Int16(bitPattern: packet.sequenceNumber &- UInt16(truncatingIfNeeded: highestSequence)))
        let timestampDelta = Int(Int32(bitPattern: packet.timestamp &- UInt32(truncatingIfNeeded: highestTimestamp)))
        let sequence = highestSequence + sequenceDelta
        let timestamp = highestTimestamp + timestampDelta

        if sequenceDelta <= 0 && sequenceDelta > -Self.window && seen[slot(sequence)] {
            statistics.duplicates += 1
            return
        }
        let drift = timestampDelta - sequenceDelta * frameSamples
        if sequenceDelta > maximumDelayFrames || sequenceDelta <= -Self.window
            || abs(drift) > maximumDelayFrames * frameSamples
        {
            highestSequence = sequence
            highestTimestamp = timestamp
            restart(with: packet, arrival: arrival, flush: true)
            return
        }

        if phase == .playing, sequenceDelta > 0, buffer.isEmpty, let playoutTimestamp,
            statistics.currentDelay + framesLate(timestamp, playoutTimestamp) > maximumDelayFrames
        {
            // The newest packet, nothing in time left to play, and further behind than any delay
            // absorbs: the sender's clock has fallen behind ours (it stalled and went on without
            // skipping the time, or it runs slow). Follow it from here (the step is not jitter)
            // instead of dropping the rest of the call as late.
            highestSequence = sequence
            highestTimestamp = timestamp
            restart(with: packet, arrival: arrival, flush: true)
            return
        }

        measureJitter(timestamp: timestamp, arrival: arrival)
        markSeen(sequence)
        if sequenceDelta > 0 {
            highestSequence = sequence
            highestTimestamp = timestamp
        }

        if packet.marker && sequenceDelta > 0 && buffer.isEmpty && phase == .playing {
            // A new talkspurt after the buffer ran dry: the silence absorbs a change of delay.
            statistics.resyncs += 1
            phase = .prefetching
            prefetchPops = 0
            dryPops = 0
            playoutTimestamp = playoutTimestamp.map { min($0, timestamp) }
            statistics.currentDelay = statistics.targetDelay
        }

        if let playoutTimestamp, timestamp < playoutTimestamp {
            statistics.late += 1
            if phase == .playing {
                let frames = framesLate(timestamp, playoutTimestamp)
                lateDelay = max(lateDelay, min(maximumDelayFrames, statistics.currentDelay + frames))
                lateDecayPops = 0
                updateTarget()
            }
            return
        }
        if sequenceDelta < 0 { statistics.reorders += 1 }
        let index = insertionIndex(sequence)
        buffer.insert(Entry(sequence: sequence, timestamp: timestamp, packet: packet), at: index)
        if !frameSizeLearned { learnFrameSize(around: index) }
        // A sender running ahead of our clock (or a flood) must not grow the buffer without end.
        while buffer.count > Self.capacity {
            let oldest = buffer.removeFirst()
            statistics.dropped += 1
            if phase == .playing, let playout = playoutTimestamp {
                playoutTimestamp = max(playout, oldest.timestamp + frameSamples)
            }
        }
    }

    private mutating func restart(with packet: RTPPacket, arrival: Double, flush: Bool) {
        if phase != .idle { statistics.resyncs += 1 }
        if flush { statistics.dropped += buffer.count }
        buffer = [
            Entry(sequence: highestSequence, timestamp: highestTimestamp, packet: packet)
        ]
        seen = [Bool](repeating: false, count: Self.window)
        markSeen(highestSequence)
        phase = .prefetching
        prefetchPops = 0
        dryPops = 0
        playoutTimestamp = nil
        let transit = arrival * Double(clockRate) - Double(highestTimestamp)
        lastTransit = transit.isFinite ? transit : nil
        statistics.currentDelay = statistics.targetDelay
    }

    /// Frames from `timestamp` to the slot to play next, rounded up.
    private func framesLate(_ timestamp: Int, _ playoutTimestamp: Int) -> Int {
        (playoutTimestamp - timestamp + frameSamples - 1) / frameSamples
    }

    private func slot(_ sequence: Int) -> Int { sequence & (Self.window - 1) }

    private mutating func markSeen(_ sequence: Int) {
        if sequence > highestSequence {
            let advance = sequence - highestSequence
            if advance >= Self.window {
                for index in seen.indices { seen[index] = false }
            } else {
                for step in 1...advance { seen[slot(highestSequence + step)] = false }
            }
        }
        seen[slot(sequence)] = true
    }

    private func insertionIndex(_ sequence: Int) -> Int {
        var index = buffer.count
        while index > 0 && buffer[index - 1].sequence > sequence { index -= 1 }
        return index
    }

    /// The first two packets with consecutive sequence numbers (not across a talkspurt) give the
    /// frame size, if it is a plausible one.
    private mutating func learnFrameSize(around index: Int) {
        func learn(_ earlier: Entry, _ later: Entry) {
            guard later.sequence == earlier.sequence + 1, !later.packet.marker else { return }
            let step = later.timestamp - earlier.timestamp
            guard step > 0 && step <= clockRate / 2 else { return }
            frameSamples = step
            frameSizeLearned = true
            statistics.frameSamples = step
        }
        if index > 0 { learn(buffer[index - 1], buffer[index]) }
        if !frameSizeLearned && index + 1 < buffer.count { learn(buffer[index], buffer[index + 1]) }
    }

    /// RFC 3550 §A.8: J += (|D(i-1,i)| - J) / 16, in timestamp units.
    private mutating func measureJitter(timestamp: Int, arrival: Double) {
        let transit = arrival * Double(clockRate) - Double(timestamp)
        guard transit.isFinite else { return }
        if let lastTransit {
            jitter += (abs(transit - lastTransit) - jitter) / 16
            statistics.jitter = jitter / Double(frameSamples)
        }
        lastTransit = transit
        updateTarget()
    }

    private mutating func updateTarget() {
        let frames = 3 * jitter / Double(frameSamples)
        // Arrival times are the caller's; a NaN or infinite one must not trap the conversion.
        let fromJitter =
            frames.isFinite ? Int(min(Double(maximumDelayFrames), frames.rounded(.up))) + 1 : maximumDelayFrames
        statistics.targetDelay = min(maximumDelayFrames, max(minimumDelayFrames, fromJitter, lateDelay))
    }

    // MARK: - Playout

    /// Called once per frame period by the playout clock: the next frame to play.
    public mutating func pop() -> Frame {
        switch phase {
        case .idle:
            return .waiting
        case .prefetching:
            guard let first = buffer.first, let last = buffer.last else { return .waiting }
            prefetchPops += 1
            statistics.currentDelay = statistics.targetDelay
            let span = (last.timestamp - first.timestamp) / frameSamples + 1
            guard span >= statistics.currentDelay || prefetchPops >= statistics.currentDelay else { return .waiting }
            phase = .playing
            playoutTimestamp = first.timestamp
            shrinkPops = 0
        case .playing:
            break
        }
        decayLateDelay()
        guard var playout = playoutTimestamp else { return .waiting }

        if statistics.currentDelay < statistics.targetDelay {
            statistics.currentDelay += 1
            statistics.stretched += 1
            shrinkPops = 0
            return .missing
        }
        if statistics.currentDelay > statistics.targetDelay {
            shrinkPops += 1
            if shrinkPops >= Self.shrinkInterval, buffer.count >= 2, buffer[0].timestamp < playout + frameSamples {
                // Drop the frame due now; the next one plays in its place.
                buffer.removeFirst()
                statistics.dropped += 1
                statistics.currentDelay -= 1
                shrinkPops = 0
                playout += frameSamples
            }
        } else {
            shrinkPops = 0
        }

        if let head = buffer.first, head.timestamp < playout + frameSamples {
            buffer.removeFirst()
            if let lastPlayedSequence {
                // Missing slots beyond the sequence numbers skipped were the sender's silence.
                let skipped = head.sequence - lastPlayedSequence - 1
                if skipped >= 0 && missingSinceLastPlayed > skipped {
                    statistics.lost -= missingSinceLastPlayed - skipped
                }
            }
            missingSinceLastPlayed = 0
            lastPlayedSequence = head.sequence
            dryPops = 0
            playoutTimestamp = max(playout, head.timestamp) + frameSamples
            statistics.played += 1
            return .audio(payloadType: head.packet.payloadType, payload: head.packet.payload)
        }
        playoutTimestamp = playout + frameSamples
        if buffer.isEmpty {
            dryPops += 1
            // Dry for longer than any delay: the sender has paused, so stop concealing.
            if dryPops > maximumDelayFrames { return .waiting }
        }
        statistics.lost += 1
        missingSinceLastPlayed += 1
        return .missing
    }

    private mutating func decayLateDelay() {
        guard lateDelay > 0 else { return }
        lateDecayPops += 1
        if lateDecayPops >= Self.shrinkInterval {
            lateDecayPops = 0
            lateDelay = lateDelay > minimumDelayFrames ? lateDelay - 1 : 0
            updateTarget()
        }
    }
}
