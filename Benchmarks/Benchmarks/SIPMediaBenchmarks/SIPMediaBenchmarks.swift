// Cost of a call's audio path per 20 ms frame: G.711 μ-law and A-law encode and decode of one
// 160-sample frame, the send path (encode + RTP packet built to bytes) and the receive path (RTP
// packet parsed, through the jitter buffer, payload decoded). One measured iteration handles
// 1,000 frames or packets (scalingFactor .kilo); the tables show time per frame/packet.
// A call moves 50 packets a second each way, so CPU per call ≈ 50 × (send + receive) ns per second.
// SRTP: one packet protected by the sender's context and unprotected by the receiver's (libsrtp2,
// per suite), the cost an SRTP call adds to each packet on top of the plain paths.
// CallSetupBenchmarks.swift: the DTLS handshake, and call setup per media profile.
import Benchmark
import Foundation
import SIPMedia

// MARK: - Sample audio (written for these benchmarks)

/// A 20 ms frame of speech-like signal: two tones and a slow envelope, spanning most segments.
private let frame: [Int16] = (0..<AudioFormat.frameSamples).map { index in
    let time = Double(index) / Double(AudioFormat.sampleRate)
    let envelope = 0.3 + 0.7 * Double(index) / Double(AudioFormat.frameSamples)
    let value = envelope * (9000 * sin(2 * Double.pi * 440 * time) + 5000 * sin(2 * Double.pi * 1270 * time))
    return Int16(value.rounded())
}
private let ulawFrame = G711.encode(frame, alaw: false)
private let alawFrame = G711.encode(frame, alaw: true)

private let ssrc: UInt32 = 0x5EED_F00D

/// The bytes of packet `index` of a PCMU stream (sequence and timestamp advancing).
private func datagram(_ index: Int) -> [UInt8] {
    RTPPacket(
        payloadType: 0, sequenceNumber: UInt16(truncatingIfNeeded: 31_000 + index),
        timestamp: UInt32(truncatingIfNeeded: 1_000_000 + 160 * index), ssrc: ssrc, payload: ulawFrame
    ).bytes
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    // The receive path must really play audio, or the numbers measure concealment.
    do {
        var buffer = JitterBuffer()
        var played = 0
        for index in 0..<100 {
            let packet = try? RTPPacket(parsing: datagram(index))
            if let packet { buffer.insert(packet, arrival: Double(index) * 0.02) }
            if case .audio = buffer.pop() { played += 1 }
        }
        precondition(played == 99 && buffer.statistics.lost == 0, "the receive path does not play the stream")
    }

    for (label, alaw) in [("μ-law", false), ("A-law", true)] {
        Benchmark("G.711 \(label) encode 160 samples") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(G711.encode(frame, alaw: alaw))
            }
        }
        let codes = alaw ? alawFrame : ulawFrame
        Benchmark("G.711 \(label) decode 160 bytes") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(G711.decode(codes, alaw: alaw))
            }
        }
    }

    // Send: a frame from the device encoded and built into a datagram, as the media clock does
    // every 20 ms.
    Benchmark("RTP send path (μ-law encode + packet bytes)") { benchmark in
        var sequence: UInt16 = 7
        var timestamp: UInt32 = 90_000
        for _ in benchmark.scaledIterations {
            sequence &+= 1
            timestamp &+= 160
            let packet = RTPPacket(
                payloadType: 0, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc,
                payload: G711.encode(frame, alaw: false))
            blackHole(packet.bytes)
        }
    }

    // Receive: a datagram parsed, put into the jitter buffer, one frame popped by the playout
    // clock and decoded. The datagrams are built before the measurement (a second of packets,
    // reused with fresh sequence numbers and timestamps patched in).
    let received = (0..<50).map(datagram)
    Benchmark("RTP receive path (parse + jitter buffer + μ-law decode)") { benchmark in
        var buffer = JitterBuffer()
        var datagrams = received
        var index = 0
        var samples = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let slot = index % datagrams.count
            if index >= datagrams.count {
                let sequence = UInt16(truncatingIfNeeded: 31_000 + index)
                let timestamp = UInt32(truncatingIfNeeded: 1_000_000 + 160 * index)
                datagrams[slot][2] = UInt8(sequence >> 8)
                datagrams[slot][3] = UInt8(sequence & 0xFF)
                datagrams[slot][4] = UInt8(timestamp >> 24)
                datagrams[slot][5] = UInt8(timestamp >> 16 & 0xFF)
                datagrams[slot][6] = UInt8(timestamp >> 8 & 0xFF)
                datagrams[slot][7] = UInt8(timestamp & 0xFF)
            }
            let packet = try RTPPacket(parsing: datagrams[slot])
            buffer.insert(packet, arrival: Double(index) * 0.02)
            if case .audio(_, let payload) = buffer.pop() {
                samples += G711.decode(payload, alaw: false).count
            }
            index += 1
        }
        benchmark.stopMeasurement()
        blackHole(samples)
        blackHole(buffer.statistics)
    }

    callSetupBenchmarks()

    for profile in SRTPProfile.all {
        var random = SystemRandomNumberGenerator()
        let a = (0..<profile.masterLength).map { _ in UInt8.random(in: 0...255, using: &random) }
        let b = (0..<profile.masterLength).map { _ in UInt8.random(in: 0...255, using: &random) }
        Benchmark("SRTP protect + unprotect (\(profile.sdesName))") { benchmark in
            guard let sender = try? SRTPContext(keys: SRTPKeys(profile: profile, local: a, remote: b)),
                let receiver = try? SRTPContext(keys: SRTPKeys(profile: profile, local: b, remote: a))
            else { fatalError("libsrtp2 refused \(profile.sdesName)") }
            var index = 0
            var opened = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                if let protected = sender.protect(datagram(index)), receiver.unprotect(protected) != nil { opened += 1 }
                index += 1
            }
            benchmark.stopMeasurement()
            precondition(opened == index, "SRTP refused its own packets")
        }
    }
}
