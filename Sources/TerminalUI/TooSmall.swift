/// What is shown instead of the panes when the terminal is below the minimum size: drawing the layout
/// squeezed would garble it, so say what is needed. The message is centred and broken into three lines
/// when even it does not fit on one.
public struct TooSmall: Sendable {
    public var minWidth: Int
    public var minHeight: Int
    public var style: Style

    public init(minWidth: Int = 60, minHeight: Int = 16, style: Style = Style()) {
        self.minWidth = minWidth
        self.minHeight = minHeight
        self.style = style
    }

    /// Whether the normal layout can be drawn in `area`.
    public func fits(_ area: Rect) -> Bool { area.width >= minWidth && area.height >= minHeight }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buffer.fill(area, style: style)
        let need = "need \(minWidth)×\(minHeight)"
        let have = "have \(area.width)×\(area.height)"
        let single = "terminal too small: \(need), \(have)"
        let lines = single.terminalWidth <= area.width ? [single] : ["terminal too small", need, have]
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (n, line) in lines.enumerated() where top + n < area.maxY {
            let x = area.x + max(0, (area.width - line.terminalWidth) / 2)
            buffer.put(line, at: x, y: top + n, style: style, maxWidth: area.maxX - x, truncate: true)
        }
    }
}
