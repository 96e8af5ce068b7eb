/// A centred overlay box (confirm hang-up, incoming call, errors) drawn over whatever is below, with a
/// title in its border, message lines and a row of buttons, one of them selected.
public struct Dialog: Sendable {
    public var title: String
    public var lines: [String]
    public var buttons: [String]
    public var selectedButton: Int
    public var style: Style
    public var buttonStyle: Style
    public var selectedButtonStyle: Style

    public init(
        title: String, lines: [String], buttons: [String] = ["OK"], selectedButton: Int = 0,
        style: Style = Style(), buttonStyle: Style = Style(), selectedButtonStyle: Style = Style(attributes: .reverse)
    ) {
        self.title = title
        self.lines = lines
        self.buttons = buttons
        self.selectedButton = selectedButton
        self.style = style
        self.buttonStyle = buttonStyle
        self.selectedButtonStyle = selectedButtonStyle
    }

    private var buttonLabels: [String] { buttons.map { "[ \($0) ]" } }
    private var buttonRowWidth: Int {
        buttonLabels.reduce(0) { $0 + $1.terminalWidth } + 2 * max(0, buttons.count - 1)
    }

    /// The box's rectangle in `area`: wide enough for the title, lines and buttons (plus border and
    /// margin), one line per message line, a blank line and the buttons; clamped to the area.
    public func frame(in area: Rect) -> Rect {
        let content = max(title.terminalWidth + 2, buttonRowWidth, lines.map(\.terminalWidth).max() ?? 0)
        let height = lines.count + (buttons.isEmpty ? 2 : 4)
        return area.centred(width: content + 4, height: height)
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        let box = frame(in: area)
        guard box.width >= 4, box.height >= 3 else { return }
        buffer.fill(box, style: style)
        Pane(title: title, focused: true, style: style, focusedStyle: style, titleStyle: style)
            .render(into: &buffer, area: box)
        let inner = box.inset(by: 1)
        for (n, line) in lines.enumerated() where n < inner.height {
            buffer.put(line, at: inner.x + 1, y: inner.y + n, style: style, maxWidth: inner.width - 2, truncate: true)
        }
        guard !buttons.isEmpty, inner.height >= 1 else { return }
        var x = inner.x + max(0, (inner.width - buttonRowWidth) / 2)
        for (n, label) in buttonLabels.enumerated() {
            let buttonStyle = n == selectedButton ? selectedButtonStyle : self.buttonStyle
            x += buffer.put(label, at: x, y: inner.maxY - 1, style: buttonStyle, maxWidth: inner.maxX - x) + 2
        }
    }
}
