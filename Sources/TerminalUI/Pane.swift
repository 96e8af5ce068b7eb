/// A bordered, titled region (calls, accounts, log). The focused pane is drawn with a double line as
/// well as its own style, so focus stays visible on a monochrome terminal.
public struct Pane: Sendable {
    public var title: String
    public var focused: Bool
    public var style: Style
    public var focusedStyle: Style
    public var titleStyle: Style

    public init(
        title: String = "", focused: Bool = false, style: Style = Style(),
        focusedStyle: Style = Style(attributes: .bold), titleStyle: Style = Style(attributes: .bold)
    ) {
        self.title = title
        self.focused = focused
        self.style = style
        self.focusedStyle = focusedStyle
        self.titleStyle = titleStyle
    }

    /// Where the pane's content goes: inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    /// Draws the border and the title `┌ Title ───┐` (truncated with "…" when the pane is narrow).
    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        let box: [String] = focused ? ["╔", "═", "╗", "║", "╚", "╝"] : ["┌", "─", "┐", "│", "└", "┘"]
        let border = focused ? focusedStyle : style
        let inner = String(repeating: box[1], count: area.width - 2)
        buffer.put(box[0] + inner + box[2], at: area.x, y: area.y, style: border)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.put(box[3], at: area.x, y: y, style: border)
            buffer.put(box[3], at: area.maxX - 1, y: y, style: border)
        }
        buffer.put(box[4] + inner + box[5], at: area.x, y: area.maxY - 1, style: border)
        if !title.isEmpty, area.width >= 5 {
            buffer.put(
                " " + title + " ", at: area.x + 1, y: area.y, style: titleStyle, maxWidth: area.width - 2,
                truncate: true)
        }
    }
}
