/// JsSIP's reconnection delay: for attempt n (the first retry is n = 1) wait
/// k = floor(random · 2^n + 1) seconds, clamped to [minimum, maximum]. There is no attempt limit.
public struct RecoveryBackoff: Sendable, Equatable {
    public var minimum: Int
    public var maximum: Int

    public init(minimum: Int = 2, maximum: Int = 30) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The delay in seconds before attempt `attempt`; `fraction` is the random draw in [0, 1).
    public func delay(attempt: Int, fraction: Double) -> Int {
        let exponent = Double(1 << min(max(attempt, 1), 30))
        let k = Int((fraction * exponent + 1).rounded(.down))
        return min(max(k, minimum), maximum)
    }

    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Int {
        delay(attempt: attempt, fraction: Double.random(in: 0..<1, using: &random))
    }
}
