import Foundation

/// Times as the panes print them, without DateFormatter (cheap enough to run every frame).
enum TimeText {
    /// "23:41:02" in local time, or with milliseconds "23:41:02.123".
    static func clock(_ date: Date, milliseconds: Bool = false) -> String {
        let local = date.timeIntervalSince1970 + TimeInterval(TimeZone.current.secondsFromGMT(for: date))
        let whole = Int(local.rounded(.down))
        let day = ((whole % 86_400) + 86_400) % 86_400
        var text = two(day / 3600) + ":" + two(day / 60 % 60) + ":" + two(day % 60)
        if milliseconds {
            let millis = Int((local - Double(whole)) * 1000)
            text += "." + String(format: "%03d", max(0, min(999, millis)))
        }
        return text
    }

    /// A duration or countdown: "0:07", "4:32", "1:02:03".
    static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        let hours = total / 3600
        if hours > 0 { return "\(hours):" + two(total / 60 % 60) + ":" + two(total % 60) }
        return "\(total / 60):" + two(total % 60)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
