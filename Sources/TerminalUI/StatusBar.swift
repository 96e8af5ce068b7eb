/// The one-line status bar (registration state on the left, call or transport on the right). The right
/// part wins when both do not fit: it carries the live state; the left is truncated with "…".
public struct StatusBar: Sendable {
    public var left: String
    public var right: String
    public var style: Style

    public init(left: String, right: String = "", style: Style = Style(attributes: .reverse)) {
        self.left = left
        self.right = right
        self.style = style
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: style)
        let rightWidth = min(right.terminalWidth, area.width)
        if rightWidth > 0 {
            buffer.put(right, at: area.maxX - rightWidth, y: area.y, style: style, maxWidth: rightWidth, truncate: true)
        }
        let room = area.width - rightWidth - (rightWidth > 0 ? 1 : 0)
        if room > 0 { buffer.put(left, at: area.x, y: area.y, style: style, maxWidth: room, truncate: true) }
    }
}
