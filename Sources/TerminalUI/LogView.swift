/// A scrollable log (SIP trace, events). It follows the tail as lines arrive; once the user scrolls up it
/// stays put, new lines notwithstanding, until scrolled back to the bottom.
public struct LogView: Sendable {
    public private(set) var lines: [String]
    /// Lines hidden below the view; 0 means following the tail.
    public private(set) var scrollBack: Int = 0
    public var style: Style

    public init(lines: [String] = [], style: Style = Style()) {
        self.lines = lines
        self.style = style
    }

    public var isFollowing: Bool { scrollBack == 0 }

    public mutating func append(_ line: String) {
        lines.append(line)
        if scrollBack > 0 { scrollBack += 1 }
    }

    public mutating func scrollUp(_ count: Int = 1) { scrollBack = min(max(0, lines.count - 1), scrollBack + count) }
    public mutating func scrollDown(_ count: Int = 1) { scrollBack = max(0, scrollBack - count) }
    public mutating func scrollToEnd() { scrollBack = 0 }

    /// Draws the lines ending `scrollBack` lines above the tail, each cut to the width with "…".
    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buffer.fill(area, style: style)
        let end = lines.count - scrollBack
        let start = max(0, end - area.height)
        for (row, index) in (start..<end).enumerated() {
            buffer.put(lines[index], at: area.x, y: area.y + row, style: style, maxWidth: area.width, truncate: true)
        }
    }
}
