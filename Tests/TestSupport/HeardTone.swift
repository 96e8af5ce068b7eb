import SIPMedia
import Testing

/// What a recording of a call heard, judged 100 ms at a time. A loaded machine makes a call's
/// playout conceal, stretch or drop a frame now and then, and each such step shifts the tone's
/// phase: one window of a second summed across a step can cancel to nothing although the call
/// carried the tone throughout. So every 100 ms chunk gets its own verdict.
public struct HeardTone {
    /// Chunks whose dominant candidate was the expected frequency.
    public var matching = 0
    /// Chunks some other candidate dominated: the wrong audio crossed (our own tone looped
    /// back, a wrong codec's noise, a wrong rate).
    public var other = 0
    /// The RMS level of each chunk, for a failure message.
    public var levels: [Int] = []
    /// Each chunk's verdict: `4` the tone, `x` another candidate, `.` none (silence, a gap).
    public var map = ""

    public init(
        _ samples: [Int16], frequency: Double, candidates: [Double] = [300, 440, 700, 1000, 1400, 2000]
    ) {
        for start in stride(from: 0, to: samples.count - 799, by: 800) {
            let chunk = Array(samples[start..<start + 800])
            let square = chunk.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(chunk.count)
            levels.append(Int(square.squareRoot()))
            switch Goertzel.dominantFrequency(chunk, candidates: candidates) {
            case frequency?:
                matching += 1
                map += "4"
            case .some:
                other += 1
                map += "x"
            case nil:
                map += "."  // silence, concealment or a gap: no verdict
            }
        }
    }

    /// At least `seconds` of the tone, and no chunk of anything else.
    public static func expect(
        _ samples: [Int16], heard frequency: Double, forAtLeast seconds: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let heard = HeardTone(samples, frequency: frequency)
        let description =
            "\(samples.count) samples, by 100 ms: \(heard.map), levels \(heard.levels.map(String.init).joined(separator: " "))"
        #expect(Double(heard.matching) / 10 >= seconds, "\(description)", sourceLocation: sourceLocation)
        #expect(heard.other == 0, "\(description)", sourceLocation: sourceLocation)
    }
}
