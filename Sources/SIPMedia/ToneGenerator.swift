import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Call-progress tones and plain sines as an audio source: the sum of one or more frequencies,
/// keyed by an on/off cadence. Each read continues where the last one stopped, phase and cadence
/// alike, so frames join without clicks. Every on-period starts at phase zero and has a 4 ms
/// raised-cosine ramp at each edge.
public final class ToneGenerator: AudioSource {
    /// The frequencies summed, in hertz.
    public let frequencies: [Double]
    /// Peak amplitude of the whole tone as a fraction of full scale; each of the n frequencies
    /// gets level / n, so the sum never clips.
    public let level: Double
    /// Milliseconds alternately on and off, starting with on, repeating; empty plays continuously.
    public let cadence: [Int]

    private let steps: [Double]
    private let segments: [Int]
    private static let rampSamples = 32

    private struct State {
        var phases: [Double]
        var segment = 0
        var sampleInSegment = 0
    }

    private let state: NIOLockedValueBox<State>

    public init(frequencies: [Double], level: Double, cadence: [Int] = []) {
        self.frequencies = frequencies
        self.level = min(max(level, 0), 1)
        self.cadence = cadence
        self.steps = frequencies.map { $0 / Double(AudioFormat.sampleRate) }
        let segments = cadence.map { max(0, $0) * AudioFormat.sampleRate / 1000 }
        // A cadence with no on-time or with no time at all is silence or a continuous tone.
        self.segments = segments.reduce(0, +) > 0 ? segments : []
        self.state = NIOLockedValueBox(State(phases: Array(repeating: 0, count: frequencies.count)))
    }

    /// A continuous sine; `level` is its peak as a fraction of full scale.
    public static func sine(frequency: Double, level: Double = 0.5) -> ToneGenerator {
        ToneGenerator(frequencies: [frequency], level: level)
    }

    /// Level of the call-progress presets: each component about −17 dBm0.
    public static let progressLevel = 0.2

    /// Ringback (North America, ITU-T E.180): 440 + 480 Hz, 2 s on, 4 s off. A new generator
    /// each time.
    public static var ringback: ToneGenerator {
        ToneGenerator(frequencies: [440, 480], level: progressLevel, cadence: [2000, 4000])
    }

    /// Call waiting: 440 Hz for 300 ms every 10 s.
    public static var callWaiting: ToneGenerator {
        ToneGenerator(frequencies: [440], level: progressLevel / 2, cadence: [300, 9700])
    }

    /// Busy (North America): 480 + 620 Hz, 0.5 s on, 0.5 s off.
    public static var busy: ToneGenerator {
        ToneGenerator(frequencies: [480, 620], level: progressLevel, cadence: [500, 500])
    }

    /// Starts again at the beginning of the cadence, phase zero.
    public func reset() {
        state.withLockedValue { $0 = State(phases: Array(repeating: 0, count: frequencies.count)) }
    }

    public func read(_ count: Int) -> [Int16] {
        guard count > 0 else { return [] }
        let amplitude = frequencies.isEmpty ? 0 : level * 32767 / Double(frequencies.count)
        return state.withLockedValue { state in
            var out = [Int16](repeating: 0, count: count)
            var index = 0
            while index < count {
                // How many samples remain in this segment (all of them when continuous), and
                // whether it sounds.
                let length = segments.isEmpty ? Int.max : segments[state.segment]
                let sounding = segments.isEmpty || state.segment % 2 == 0
                let run = min(count - index, length - state.sampleInSegment)
                if sounding && amplitude > 0 {
                    for offset in 0..<run {
                        var value = 0.0
                        for tone in state.phases.indices {
                            value += sin(2 * Double.pi * state.phases[tone])
                            state.phases[tone] += steps[tone]
                            state.phases[tone] -= state.phases[tone].rounded(.down)
                        }
                        let at = state.sampleInSegment + offset
                        let gain = segments.isEmpty ? 1 : ramp(at, length: length)
                        out[index + offset] = Int16(clamping: Int((value * amplitude * gain).rounded()))
                    }
                }
                index += run
                state.sampleInSegment += run
                if !segments.isEmpty && state.sampleInSegment >= length {
                    state.segment = (state.segment + 1) % segments.count
                    state.sampleInSegment = 0
                    if state.segment % 2 == 0 {
                        for tone in state.phases.indices { state.phases[tone] = 0 }
                    }
                }
            }
            return out
        }
    }

    /// Raised-cosine gain at both edges of an on-period of `length` samples.
    private func ramp(_ at: Int, length: Int) -> Double {
        let edge = min(at, length - 1 - at)
        guard edge < Self.rampSamples else { return 1 }
        return 0.5 - 0.5 * cos(Double.pi * Double(edge) / Double(Self.rampSamples))
    }
}
