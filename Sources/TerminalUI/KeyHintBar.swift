/// The bottom hint bar: `F1 Help  q Quit`. Items are in priority order; the first one that does not fit
/// and every one after it are dropped, so the bar never shows a half hint.
public struct KeyHintBar: Sendable {
    public var items: [(key: String, label: String)]
    public var keyStyle: Style
    public var labelStyle: Style

    public init(
        items: [(key: String, label: String)], keyStyle: Style = Style(attributes: .reverse),
        labelStyle: Style = Style()
    ) {
        self.items = items
        self.keyStyle = keyStyle
        self.labelStyle = labelStyle
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: labelStyle)
        var x = area.x
        for (n, item) in items.enumerated() {
            let gap = n == 0 ? 0 : 2
            let width = item.key.terminalWidth + 1 + item.label.terminalWidth
            guard x + gap + width <= area.maxX else { break }
            x += gap
            x += buffer.put(item.key, at: x, y: area.y, style: keyStyle)
            x += buffer.put(" " + item.label, at: x, y: area.y, style: labelStyle)
        }
    }
}
