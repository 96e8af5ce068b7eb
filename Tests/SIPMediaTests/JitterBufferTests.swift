import TestSupport
import Testing

@testable import SIPMedia

/// Recorded packet sequences played through the jitter buffer. A packet's payload is its index in
/// the stream, so a played frame names the packet: frames are written as the index, "-" for
/// `.missing` and "." for `.waiting`. The playout clock pops at 10 ms + k × 20 ms; every packet
/// whose arrival time has passed is inserted before the pop.
@Suite("Jitter buffer")
struct JitterBufferTests {
    struct Sent {
        var packet: RTPPacket
        var arrival: Double
    }

    /// `count` packets 20 ms apart from `sequence`/`timestamp`, each arriving `delay(i)` seconds
    /// after it was sent.
    static func stream(
        count: Int, from first: Int = 0, sequence: UInt16 = 4000, timestamp: UInt32 = 90_000, frame: UInt32 = 160,
        sentAt: (Int) -> Double = { Double($0) * 0.02 }, delay: (Int) -> Double = { _ in 0.005 }
    ) -> [Sent] {
        (first..<first + count).map { index in
            let offset = index - first
            let packet = RTPPacket(
                payloadType: 0, sequenceNumber: sequence &+ UInt16(truncatingIfNeeded: offset),
                timestamp: timestamp &+ frame &* UInt32(truncatingIfNeeded: offset), ssrc: 0x1234_5678,
                payload: [UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)])
            return Sent(packet: packet, arrival: sentAt(index) + delay(index))
        }
    }

    static func label(_ frame: JitterBuffer.Frame) -> String {
        switch frame {
        case .audio(_, let payload): String(Int(payload[0]) << 8 | Int(payload[1]))
        case .missing: "-"
        case .waiting: "."
        }
    }

    /// Plays `sent` (in arrival order; equal times keep their order) through `buffer` for `pops`
    /// frame periods; `observe` sees the buffer after each pop.
    static func play(
        _ sent: [Sent], into buffer: inout JitterBuffer, pops: Int, observe: (Int, JitterBuffer) -> Void = { _, _ in }
    ) -> [String] {
        let ordered = sent.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }
        var next = 0
        var frames: [String] = []
        for tick in 0..<pops {
            let now = 0.01 + Double(tick) * 0.02
            while next < ordered.count && ordered[next].element.arrival <= now {
                buffer.insert(ordered[next].element.packet, arrival: ordered[next].element.arrival)
                next += 1
            }
            frames.append(label(buffer.pop()))
            observe(tick, buffer)
        }
        return frames
    }

    static func indices(_ range: Range<Int>) -> [String] { range.map(String.init) }

    /// "pop:delay" wherever the current delay changed.
    static func changes(_ delays: [Int]) -> [String] {
        zip(delays.indices.dropFirst(), zip(delays, delays.dropFirst())).compactMap { index, pair in
            pair.0 == pair.1 ? nil : "\(index):\(pair.1)"
        }
    }

    @Test func inOrderStreamPlaysAfterTheMinimumDelay() {
        var buffer = JitterBuffer()
        let frames = Self.play(Self.stream(count: 50), into: &buffer, pops: 53)
        #expect(frames == ["."] + Self.indices(0..<50) + ["-", "-"])
        let stats = buffer.statistics
        #expect(stats.received == 50)
        #expect(stats.played == 50)
        #expect(stats.lost == 2)  // the two slots after the stream stopped
        #expect(stats.late == 0)
        #expect(stats.duplicates == 0)
        #expect(stats.reorders == 0)
        #expect(stats.stretched == 0)
        #expect(stats.currentDelay == 2)
        #expect(stats.targetDelay == 2)
        #expect(stats.frameSamples == 160)
    }

    @Test func nothingBeforeTheFirstPacket() {
        var buffer = JitterBuffer()
        #expect(buffer.pop() == .waiting)
        #expect(buffer.pop() == .waiting)
        #expect(buffer.statistics.lost == 0)
    }

    /// Pairs swapped in flight: every even packet arrives 21 ms after it was due, just after its
    /// successor. Nothing is late or lost, but the jitter the swaps show (about one frame) raises
    /// the delay to five frames, one concealed frame at a time.
    @Test func reorderedTwoDeep() {
        let sent = Self.stream(count: 60, delay: { $0 % 2 == 0 ? 0.026 : 0.005 })
        var buffer = JitterBuffer()
        var delays: [Int] = []
        let frames = Self.play(sent, into: &buffer, pops: 64) { _, buffer in
            delays.append(buffer.statistics.currentDelay)
        }
        var expected = ["."] + Self.indices(0..<6) + ["-"] + Self.indices(6..<15) + ["-"]
        expected += Self.indices(15..<46) + ["-"] + Self.indices(46..<60)
        #expect(frames == expected)
        #expect(Self.changes(delays) == ["7:3", "17:4", "49:5"])
        let stats = buffer.statistics
        #expect(stats.reorders == 30)
        #expect(stats.late == 0)
        #expect(stats.lost == 0)
        #expect(stats.played == 60)
        #expect(stats.stretched == 3)
        #expect(stats.currentDelay == 5)
        #expect(stats.jitter > 1 && stats.jitter < 1.05)
    }

    /// Blocks of five sent in reverse: a packet is up to four frames behind its successors. With a
    /// five-frame minimum delay every packet is in time and plays in order; the jitter estimate
    /// (which counts reordering as jitter, as RFC 3550 does) takes the delay on up to 11 frames.
    @Test func reorderedFiveDeep() {
        var sent: [Sent] = []
        for block in 0..<10 {
            let forward = Self.stream(
                count: 5, from: 5 * block, sequence: 4000 &+ UInt16(5 * block),
                timestamp: 90_000 + 800 * UInt32(block))
            for (position, packet) in forward.reversed().enumerated() {
                let arrival: Double = Double(5 * block + position) * 0.02 + 0.005
                sent.append(Sent(packet: packet.packet, arrival: arrival))
            }
        }
        var buffer = JitterBuffer(minimumDelayFrames: 5)
        let frames = Self.play(sent, into: &buffer, pops: 60)
        #expect(frames.filter { $0 != "-" && $0 != "." } == Self.indices(0..<50))
        let stats = buffer.statistics
        #expect(stats.reorders == 40)
        #expect(stats.late == 0)
        #expect(stats.lost == 0)
        #expect(stats.played == 50)
        #expect(frames.prefix(5) == [".", ".", ".", ".", "0"])
        var expected =
            [".", ".", ".", "."] + Self.indices(0..<6) + ["-", "6", "7", "-", "8", "-"] + Self.indices(9..<13)
        expected += ["-"] + Self.indices(13..<17) + ["-"] + Self.indices(17..<26) + ["-"] + Self.indices(26..<50)
        #expect(frames == expected)
        #expect(stats.stretched == 6)
        #expect(stats.currentDelay == 11)
    }

    @Test func duplicatesAreDroppedEvenAfterPlaying() {
        var sent = Self.stream(count: 40)
        // Every fifth packet twice in a row, packet 7 three times, and packet 3 again long after it played.
        for index in stride(from: 0, to: 40, by: 5) {
            sent.append(Sent(packet: sent[index].packet, arrival: sent[index].arrival + 0.001))
        }
        sent.append(Sent(packet: sent[7].packet, arrival: sent[7].arrival + 0.002))
        sent.append(Sent(packet: sent[7].packet, arrival: sent[7].arrival + 0.003))
        sent.append(Sent(packet: sent[3].packet, arrival: 0.5))
        var buffer = JitterBuffer()
        let frames = Self.play(sent, into: &buffer, pops: 41)
        #expect(frames == ["."] + Self.indices(0..<40))
        let stats = buffer.statistics
        #expect(stats.received == 51)
        #expect(stats.duplicates == 11)
        #expect(stats.late == 0)
        #expect(stats.played == 40)
        #expect(stats.lost == 0)
    }

    /// 10% of 500 packets lost at random (seeded, 47 of them): each lost packet is one missing slot, in its
    /// place, and nothing else changes.
    @Test func tenPercentRandomLoss() {
        var random = SplitMix64(seed: 2024)
        let all = Self.stream(count: 500)
        var lost = Set<Int>()
        for index in 1..<499 where Double.random(in: 0..<1, using: &random) < 0.1 { lost.insert(index) }
        let sent = all.enumerated().filter { !lost.contains($0.offset) }.map(\.element)
        var buffer = JitterBuffer()
        let frames = Self.play(sent, into: &buffer, pops: 501)
        #expect(lost.count == 47)
        #expect(frames == ["."] + (0..<500).map { lost.contains($0) ? "-" : String($0) })
        let stats = buffer.statistics
        #expect(stats.received == 453)
        #expect(stats.played == 453)
        #expect(stats.lost == 47)
        #expect(stats.late == 0)
        #expect(stats.resyncs == 0)
        #expect(stats.currentDelay == 2)
    }

    /// Packets 20–23 held up in the network and delivered together with 24 and 25, 100 to 40 ms
    /// after they were due: their slots have been played, so they are late. The delay grows at
    /// once to what the latest of them needed (2 + 4 frames), holds, and decays one frame a second.
    @Test func burstOfLatePackets() {
        let sent = Self.stream(count: 400, delay: { (20...24).contains($0) ? 0.005 + 0.02 * Double(25 - $0) : 0.005 })
        var buffer = JitterBuffer()
        var delays: [Int] = []
        let frames = Self.play(sent, into: &buffer, pops: 401) { _, buffer in
            delays.append(buffer.statistics.currentDelay)
        }
        let stats = buffer.statistics
        #expect(stats.late == 4)
        #expect(stats.lost == 4)
        // Four slots played as missing, then four frames concealed to grow the delay.
        #expect(Array(frames[18...31]) == ["17", "18", "19", "-", "-", "-", "-", "-", "-", "-", "-", "24", "25", "26"])
        #expect(Self.changes(delays) == ["25:3", "26:4", "27:5", "28:6", "123:5", "173:4", "223:3", "273:2"])
        #expect(stats.stretched == 4)
        // Shrinking drops one frame each time: 118, 169, 220 and 271.
        #expect(stats.dropped == 4)
        let played = frames.compactMap(Int.init)
        #expect(Set(0..<400).subtracting(played) == [20, 21, 22, 23, 118, 169, 220, 271])
        #expect(played == played.sorted())
        #expect(stats.played == 392)
        #expect(stats.currentDelay == 2)
    }

    /// Sequence numbers and timestamps both wrap inside the stream, with a swap across the wrap.
    @Test func sequenceWraparound() {
        var sent = Self.stream(count: 30, sequence: 65_520, timestamp: UInt32.max - 1_000)
        sent[15].arrival = sent[16].arrival + 0.001  // 65535 after 0
        var buffer = JitterBuffer(minimumDelayFrames: 3)
        let frames = Self.play(sent, into: &buffer, pops: 32)
        #expect(frames == [".", "."] + Self.indices(0..<30))
        let stats = buffer.statistics
        #expect(stats.played == 30)
        #expect(stats.reorders == 1)
        #expect(stats.lost == 0)
        #expect(stats.late == 0)
        #expect(stats.resyncs == 0)
    }

    /// Two talkspurts with silence between (sequence numbers continue, timestamps jump, marker
    /// on the first packet after): the silence is neither lost nor late, and each new talkspurt
    /// prefetches again.
    @Test func silenceGapsAndNewTalkspurts() {
        // 0–24, 3 frames of silence, 25–49, a second of silence, 50–74.
        func sentAt(_ index: Int) -> Double { Double(index + (index >= 25 ? 3 : 0) + (index >= 50 ? 50 : 0)) * 0.02 }
        var sent = Self.stream(count: 75, sentAt: sentAt)
        for index in sent.indices {
            sent[index].packet.timestamp = 90_000 &+ UInt32(sentAt(index) * 8000 + 0.5)
            sent[index].packet.marker = index == 25 || index == 50
        }
        var buffer = JitterBuffer()
        let frames = Self.play(sent, into: &buffer, pops: 129)
        // The 3-frame gap: two slots concealed, then the new talkspurt prefetches. The one-second
        // gap: 12 slots (the maximum delay) concealed, then silence until it prefetches.
        var expected = ["."] + Self.indices(0..<25) + ["-", "-", "."] + Self.indices(25..<50)
        expected += Array(repeating: "-", count: 12) + Array(repeating: ".", count: 38) + Self.indices(50..<75)
        #expect(frames == expected)
        let stats = buffer.statistics
        #expect(stats.played == 75)
        #expect(stats.lost == 0)
        #expect(stats.late == 0)
        #expect(stats.resyncs == 2)
    }

    /// The sender restarts its numbering (new sequence and timestamp): the buffer flushes what it
    /// held and starts over without calling anything late.
    @Test func sequenceJumpResynchronises() {
        var sent = Self.stream(count: 20)
        sent += Self.stream(count: 20, from: 20, sequence: 30_000, timestamp: 7, sentAt: { Double($0) * 0.02 })
        var buffer = JitterBuffer()
        let frames = Self.play(sent, into: &buffer, pops: 42)
        #expect(frames == ["."] + Self.indices(0..<19) + ["."] + Self.indices(20..<40) + ["-"])
        let stats = buffer.statistics
        #expect(stats.resyncs == 1)
        #expect(stats.dropped == 1)  // packet 19, still buffered at the jump
        #expect(stats.late == 0)
        #expect(stats.played == 39)
    }

    @Test func frameSizeComesFromTheTimestamps() {
        // 30 ms frames (240 samples) sent every 30 ms, popped every 30 ms.
        let sent = Self.stream(count: 10, frame: 240, sentAt: { Double($0) * 0.03 })
        var buffer = JitterBuffer()
        var frames: [String] = []
        var next = 0
        for tick in 0..<12 {
            let now = 0.01 + Double(tick) * 0.03
            while next < sent.count && sent[next].arrival <= now {
                buffer.insert(sent[next].packet, arrival: sent[next].arrival)
                next += 1
            }
            frames.append(Self.label(buffer.pop()))
        }
        #expect(buffer.statistics.frameSamples == 240)
        #expect(frames == ["."] + Self.indices(0..<10) + ["-"])
        #expect(buffer.statistics.jitter < 0.001)
    }

    /// Delays uniform in 0–100 ms for 300 packets (seeded), then a steady network for 600: the
    /// delay rises with the measured jitter to 9 frames, holds while the jitter lasts, and comes
    /// back down to the minimum one frame a second once it calms.
    @Test func delayAdaptsUpUnderJitterAndBackDown() {
        var random = SplitMix64(seed: 7)
        let jitter = (0..<300).map { _ in Double.random(in: 0..<0.1, using: &random) }
        let sent = Self.stream(count: 900, delay: { $0 < 300 ? 0.005 + jitter[$0] : 0.005 })
        var buffer = JitterBuffer()
        var delays: [Int] = []
        var targets: [Int] = []
        let frames = Self.play(sent, into: &buffer, pops: 903) { _, buffer in
            delays.append(buffer.statistics.currentDelay)
            targets.append(buffer.statistics.targetDelay)
        }
        #expect(
            Self.changes(delays) == [
                "6:3", "10:4", "13:5", "24:6", "33:7", "90:8", "201:9", "307:8", "357:7", "407:6", "457:5", "507:4",
                "557:3", "607:2",
            ])
        #expect(targets[299] == 8)
        #expect(targets[340] == 2)
        let stats = buffer.statistics
        #expect(stats.late == 1)  // packet 2, before the delay had grown
        #expect(stats.lost == 1)
        #expect(stats.reorders == 131)
        #expect(stats.stretched == 7)
        #expect(stats.dropped == 7)
        #expect(stats.played == 892)
        #expect(stats.currentDelay == 2)
        #expect(stats.jitter < 0.001)
        let played = frames.compactMap(Int.init)
        #expect(played == played.sorted())
        #expect(frames.suffix(1) == ["899"])
    }
}

extension JitterBufferTests {
    /// The playout clock stopped for a second (the phone lost the CPU) while packets came on:
    /// they are read when it wakes, all at once, and the catch-up pops play every one of them
    /// in order, nothing lost or late.
    @Test func aStalledPlayoutClockPlaysWhatCameMeanwhile() {
        let sent = Self.stream(count: 150)
        var buffer = JitterBuffer()
        var frames: [String] = []
        var next = 0
        /// Reads what has arrived by `now`, stamped with the time it is read, as the engine does.
        func read(until now: Double) {
            while next < sent.count && sent[next].arrival <= now {
                buffer.insert(sent[next].packet, arrival: now)
                next += 1
            }
        }
        for tick in 0..<50 {
            read(until: 0.01 + Double(tick) * 0.02)
            frames.append(Self.label(buffer.pop()))
        }
        // Stalled from 1.0 s to 2.0 s: 50 slots come due at once.
        read(until: 2.0)
        for _ in 0..<50 { frames.append(Self.label(buffer.pop())) }
        for tick in 100..<152 {
            read(until: 0.01 + Double(tick) * 0.02)
            frames.append(Self.label(buffer.pop()))
        }
        // The burst reads as jitter, so the delay grows by a few concealed frames and shrinks
        // again a frame a second; no packet is lost or late.
        let played = frames.compactMap(Int.init)
        #expect(played == played.sorted())
        #expect(Set(0..<145).subtracting(played).isEmpty, "\(frames)")
        #expect(buffer.statistics.late == 0)
        #expect(buffer.statistics.lost == 0)
        #expect(buffer.statistics.stretched <= 4)
    }

    /// The sender stopped for a second and went on where it was, its timestamps not counting
    /// the pause: every packet after it is behind the slots played meanwhile. The buffer follows
    /// the sender's clock from the first of them instead of dropping the rest of the call as late.
    @Test func aSenderThatFellBehindIsFollowed() {
        let sent = Self.stream(count: 100, sentAt: { Double($0) * 0.02 + ($0 >= 50 ? 1.0 : 0) })
        var buffer = JitterBuffer()
        let frames = Self.play(sent, into: &buffer, pops: 160)
        let played = frames.compactMap(Int.init)
        #expect(played == Array(0..<100), "\(frames)")
        #expect(buffer.statistics.resyncs == 1)
        #expect(buffer.statistics.late == 0)
        // Packet 50 arrives before pop 100; it plays after the minimum delay.
        #expect(frames.firstIndex(of: "50").map { (100...102).contains($0) } == true, "\(frames)")
    }

    /// Arbitrary sequence numbers, timestamps and markers (and odd arrival times) never trap and
    /// never grow the buffer past its capacity.
    @Test func arbitraryPacketsNeverTrap() {
        var random = SplitMix64(seed: 99)
        var buffer = JitterBuffer()
        for step in 0..<20_000 {
            let packet = RTPPacket(
                marker: Bool.random(using: &random), payloadType: 0,
                sequenceNumber: UInt16.random(in: 0...9, using: &random) &* 7,
                timestamp: UInt32.random(in: 0...UInt32.max, using: &random), ssrc: 1, payload: [1])
            let arrival = step % 1000 == 0 ? Double.nan : Double(step) * 0.01
            buffer.insert(packet, arrival: arrival)
            if step % 2 == 0 { _ = buffer.pop() }
            #expect(buffer.count <= JitterBuffer.capacity)
        }
        #expect(buffer.statistics.received == 20_000)
        #expect(buffer.statistics.jitter.isFinite)
    }
}

@Suite("Loss concealment")
struct LossConcealmentTests {
    @Test func repeatsTheLastFrameFadingBySixDecibels() {
        var plc = LossConcealment(frameSamples: 4)
        #expect(plc.conceal() == [0, 0, 0, 0])  // nothing played yet
        plc.played([1000, -1000, 32767, -32768])
        #expect(plc.conceal() == [500, -500, 16383, -16384])
        #expect(plc.conceal() == [250, -250, 8191, -8192])
        #expect(plc.conceal() == [125, -125, 4095, -4096])
        #expect(plc.conceal() == [62, -62, 2047, -2048])
        #expect(plc.conceal() == [31, -31, 1023, -1024])
        #expect(plc.conceal() == [0, 0, 0, 0])
        #expect(plc.consecutive == 6)
        plc.played([8, 8, 8, 8])
        #expect(plc.consecutive == 0)
        #expect(plc.conceal() == [4, 4, 4, 4])
    }
}
