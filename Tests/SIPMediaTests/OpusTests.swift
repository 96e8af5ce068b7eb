import Foundation
import Testing

@testable import SIPMedia

#if canImport(COpus)
    @Suite("Opus")
    struct OpusTests {
        /// 20 ms frames of a 440 Hz tone at 8 kHz.
        static func tone(frames: Int) -> [[Int16]] {
            let all = (0..<frames * AudioFormat.frameSamples).map { index in
                Int16(8000 * sin(2 * Double.pi * 440 * Double(index) / Double(AudioFormat.sampleRate)))
            }
            return stride(from: 0, to: all.count, by: AudioFormat.frameSamples).map {
                Array(all[$0..<$0 + AudioFormat.frameSamples])
            }
        }

        /// The best normalised correlation of `b` against `a` over small lags (Opus delays a few ms).
        static func correlation(_ a: [Int16], _ b: [Int16], maxLag: Int) -> Double {
            var best = -1.0
            for lag in 0...maxLag {
                let n = min(a.count, b.count - lag)
                var ab = 0.0
                var aa = 0.0
                var bb = 0.0
                for index in 0..<n {
                    let x = Double(a[index])
                    let y = Double(b[index + lag])
                    ab += x * y
                    aa += x * x
                    bb += y * y
                }
                if aa > 0, bb > 0 { best = max(best, ab / (aa * bb).squareRoot()) }
            }
            return best
        }

        @Test func aToneSurvivesEncodeAndDecode() throws {
            let codec = try OpusCodec()
            var input: [Int16] = []
            var output: [Int16] = []
            for frame in Self.tone(frames: 25) {
                let packet = try codec.encode(frame)
                #expect(packet.count > 0 && packet.count < 100)
                let decoded = try codec.decode(packet)
                #expect(decoded.count == AudioFormat.frameSamples)
                input += frame
                output += decoded
            }
            // Past the first few frames (the encoder's start-up), the tone comes back.
            let skip = 5 * AudioFormat.frameSamples
            let correlation = Self.correlation(Array(input[skip...]), Array(output[skip...]), maxLag: 80)
            #expect(correlation > 0.9, "correlation \(correlation)")
        }

        @Test func aLostPacketIsConcealedAndGarbageIsAnError() throws {
            let codec = try OpusCodec()
            for frame in Self.tone(frames: 3) { _ = try codec.decode(try codec.encode(frame)) }
            #expect(codec.conceal().count == AudioFormat.frameSamples)
            #expect(throws: OpusError.self) { try codec.decode([0xFF, 0xFF, 0xFF]) }
            #expect(throws: OpusError.self) { try codec.encode([Int16](repeating: 0, count: 100)) }
        }
    }
#endif
