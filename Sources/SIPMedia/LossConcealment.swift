/// Simple packet loss concealment: a missing frame is replaced by the last good frame repeated,
/// halved (−6 dB) for each repeat in a row, and silence once `maximumRepeats` repeats have
/// faded it out. Tell it every frame played (`played`) and ask it for a frame the jitter buffer
/// said was missing (`conceal`).
public struct LossConcealment: Sendable {
    public let frameSamples: Int
    public let maximumRepeats: Int
    private var last: [Int16] = []
    private var repeats = 0

    public init(frameSamples: Int = AudioFormat.frameSamples, maximumRepeats: Int = 5) {
        self.frameSamples = max(1, frameSamples)
        // After 15 halvings every 16-bit sample is 0 anyway.
        self.maximumRepeats = min(15, max(0, maximumRepeats))
    }

    /// Frames concealed since the last good one.
    public var consecutive: Int { repeats }

    /// A frame to play in place of a missing one.
    public mutating func conceal() -> [Int16] {
        repeats += 1
        guard repeats <= maximumRepeats, !last.isEmpty else {
            return [Int16](repeating: 0, count: last.isEmpty ? frameSamples : last.count)
        }
        // Division rounds towards zero, so the fade reaches 0 from both sides.
        let divisor = Int32(1) << repeats
        return last.map { Int16(Int32($0) / divisor) }
    }

    /// A good frame was played: it is the one repeated next time.
    public mutating func played(_ samples: [Int16]) {
        last = samples
        repeats = 0
    }
}
