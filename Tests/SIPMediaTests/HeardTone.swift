import Testing

@testable import SIPMedia

/// What a recording of a call heard, judged 100 ms at a time. A fixed window of a recording
/// made in this process is at the mercy of the scheduler: when the test run starves the event
/// loop, the jitter buffer conceals a few hundred milliseconds, and a window that lands there
/// hears no tone although the call carried it. So every chunk gets its own verdict.
struct HeardTone {
    /// Chunks whose dominant candidate was the expected frequency.
    var matching = 0
    /// Chunks some other candidate dominated: the wrong audio crossed (our own tone looped
    /// back, a wrong codec's noise, a wrong rate).
    var other = 0
    /// The RMS level of each chunk, for a failure message.
    var levels: [Int] = []

    init(_ samples: [Int16], frequency: Double, candidates: [Double] = [300, 440, 1000]) {
        for start in stride(from: 0, to: samples.count - 799, by: 800) {
            let chunk = Array(samples[start..<start + 800])
            let square = chunk.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(chunk.count)
            levels.append(Int(square.squareRoot()))
            switch Goertzel.dominantFrequency(chunk, candidates: candidates) {
            case frequency?: matching += 1
            case .some: other += 1
            case nil: break  // silence, concealment or a gap: no verdict
            }
        }
    }

    /// At least `seconds` of the tone, and no chunk of anything else.
    static func expect(
        _ samples: [Int16], heard frequency: Double, forAtLeast seconds: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let heard = HeardTone(samples, frequency: frequency)
        let description =
            "\(samples.count) samples, level per 100 ms: \(heard.levels.map(String.init).joined(separator: " "))"
        #expect(Double(heard.matching) / 10 >= seconds, "\(description)", sourceLocation: sourceLocation)
        #expect(heard.other == 0, "\(description)", sourceLocation: sourceLocation)
    }
}
