import Foundation
import TestSupport
import Testing

@testable import SIPMedia

@Suite("Tone generator and detector")
struct ToneTests {
    /// Whether each 20 ms frame of `samples` is sounding.
    private func cadence(_ samples: [Int16]) -> [Bool] {
        stride(from: 0, to: samples.count, by: 160).map { start in
            samples[start..<min(samples.count, start + 160)].contains { abs(Int($0)) > 100 }
        }
    }

    /// Lengths in 20 ms frames of the runs of equal values, e.g. on 100, off 200, on 100.
    private func runs(_ frames: [Bool]) -> [(Bool, Int)] {
        var result: [(Bool, Int)] = []
        for frame in frames {
            if let last = result.last, last.0 == frame {
                result[result.count - 1].1 += 1
            } else {
                result.append((frame, 1))
            }
        }
        return result
    }

    @Test func ringbackFrequenciesAndCadence() {
        let tone = ToneGenerator.ringback
        var samples: [Int16] = []
        for _ in 0..<(13 * 50) { samples += tone.read(160) }
        let on = Array(samples[800..<8800])
        #expect(Goertzel.power(on, frequency: 440) > 0.008)
        #expect(Goertzel.power(on, frequency: 480) > 0.008)
        #expect(Goertzel.power(on, frequency: 620) < 0.0001)
        #expect(Goertzel.power(on, frequency: 350) < 0.0001)
        let pattern = runs(cadence(samples))
        #expect(pattern.map(\.0) == [true, false, true, false, true])
        #expect(pattern.map(\.1) == [100, 200, 100, 200, 50])
        #expect(samples.allSatisfy { abs(Int($0)) <= Int(0.2 * 32767) + 1 })
    }

    @Test func busyAndCallWaiting() {
        let busy = ToneGenerator.busy
        let samples = busy.read(8000 * 3)
        #expect(Goertzel.dominantFrequency(Array(samples[0..<4000]), candidates: [350, 440, 480, 620]) != nil)
        #expect(Goertzel.power(Array(samples[0..<4000]), frequency: 480) > 0.008)
        #expect(Goertzel.power(Array(samples[0..<4000]), frequency: 620) > 0.008)
        #expect(runs(cadence(samples)).map(\.1) == [25, 25, 25, 25, 25, 25])

        let waiting = ToneGenerator.callWaiting
        let twentySeconds = waiting.read(8000 * 20)
        #expect(Goertzel.dominantFrequency(Array(twentySeconds[0..<2400]), candidates: [350, 440, 480, 620]) == 440)
        let pattern = runs(cadence(twentySeconds))
        #expect(pattern.map(\.0) == [true, false, true, false])
        #expect(pattern.map(\.1) == [15, 485, 15, 485])
    }

    @Test func sineLevelAndFrequency() {
        for frequency in [300.0, 1004, 2600, 3400] {
            let samples = ToneGenerator.sine(frequency: frequency, level: 0.25).read(8000)
            #expect(abs(Goertzel.power(samples, frequency: frequency).squareRoot() - 0.25) < 0.005)
            #expect(Goertzel.dominantFrequency(samples, candidates: [300, 1004, 2600, 3400]) == frequency)
            #expect(samples.map { abs(Int($0)) }.max() ?? 0 <= 8192)
        }
    }

    /// Reading in odd-sized pieces gives exactly the samples of one long read: phase and
    /// cadence carry over between reads.
    @Test func readsArePhaseContinuous() {
        for make in [{ ToneGenerator.sine(frequency: 1000.5) }, { ToneGenerator.busy }, { ToneGenerator.ringback }] {
            let whole = make().read(60_000)
            let pieces = make()
            var joined: [Int16] = []
            var size = 1
            while joined.count < whole.count {
                joined += pieces.read(min(size, whole.count - joined.count))
                size = size * 7 % 997 + 1
            }
            #expect(joined == whole)
        }
        let tone = ToneGenerator.ringback
        let first = tone.read(500)
        tone.reset()
        #expect(tone.read(500) == first)
    }

    @Test func goertzelEdgeCases() {
        #expect(Goertzel.power([], frequency: 440) == 0)
        #expect(Goertzel.dominantFrequency([], candidates: [440]) == nil)
        #expect(Goertzel.dominantFrequency(Array(repeating: 0, count: 800), candidates: [440]) == nil)
        // A tone that is not among the candidates is not reported as one of them.
        let samples = ToneGenerator.sine(frequency: 1000).read(800)
        #expect(Goertzel.dominantFrequency(samples, candidates: [440, 480, 620]) == nil)
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<8000).map { _ in Int16.random(in: -8000...8000, using: &generator) }
        #expect(Goertzel.dominantFrequency(noise, candidates: [440, 480, 620]) == nil)
    }

    /// The per-chunk verdict the in-process call tests rely on: gaps get none, the wrong tone
    /// counts against.
    @Test func heardToneJudgesEachChunk() {
        let sine = ToneGenerator.sine(frequency: 440).read(8000)
        let gapped = Array(sine[0..<4000]) + Array(repeating: 0, count: 2400) + Array(sine[4000..<8000])
        let heard = HeardTone(gapped, frequency: 440)
        #expect(heard.matching == 10 && heard.other == 0 && heard.levels.count == 13)
        let wrong = HeardTone(ToneGenerator.sine(frequency: 1000).read(8000), frequency: 440)
        #expect(wrong.matching == 0 && wrong.other == 10)
        #expect(HeardTone(Array(repeating: 0, count: 8000), frequency: 440).matching == 0)
    }

    /// A recording of a known source, delayed and passed through G.711 μ-law: correlation finds
    /// the delay and a coefficient near 1; unrelated audio scores low.
    @Test(arguments: [0, 37, 160, 333])
    func correlationFindsTheLagThroughG711(lag: Int) {
        var seed: UInt32 = 12345
        func noise() -> Double {
            seed = seed &* 1_103_515_245 &+ 12345
            return Double(Int(seed >> 16) % 2001 - 1000) / 1000
        }
        let source: [Int16] = (0..<4000).map {
            Int16((sin(2 * Double.pi * 440 * Double($0) / 8000) * 6000 + noise() * 3000).rounded())
        }
        let delayed = Array(repeating: 0, count: lag) + source.map { Int16(Double($0) * 0.7) }
        let recording = G711.decode(G711.encode(delayed, alaw: false), alaw: false)
        let result = Goertzel.correlation(source, recording, maxLag: 400)
        #expect(result.lag == lag)
        #expect(result.coefficient > 0.99)
        let reversed = Goertzel.correlation(recording, source, maxLag: 400)
        #expect(reversed.lag == -lag)

        let unrelated = (0..<4000).map { _ in Int16((noise() * 5000).rounded()) }
        #expect(Goertzel.correlation(source, unrelated, maxLag: 400).coefficient < 0.3)
    }

    @Test func correlationEdgeCases() {
        #expect(Goertzel.correlation([], [1, 2, 3], maxLag: 10) == (0, 0))
        #expect(Goertzel.correlation([0, 0, 0], [0, 0, 0], maxLag: 1) == (0, 0))
        #expect(Goertzel.correlation([1, -1, 2], [1, -1, 2], maxLag: -5).lag == 0)
    }
}
