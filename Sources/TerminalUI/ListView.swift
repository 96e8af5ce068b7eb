/// A list of one-line rows with a selection, such as the calls or accounts pane. The caller keeps
/// `offset` (the first visible row) between frames; `render` returns the offset that keeps the
/// selection visible so that scrolling moves only when it must.
public struct ListView: Sendable {
    public var items: [String]
    public var selected: Int?
    public var offset: Int
    public var style: Style
    public var selectedStyle: Style
    public var markStyle: Style

    public init(
        items: [String], selected: Int? = nil, offset: Int = 0, style: Style = Style(),
        selectedStyle: Style = Style(attributes: .reverse), markStyle: Style = Style(attributes: .dim)
    ) {
        self.items = items
        self.selected = selected
        self.offset = offset
        self.style = style
        self.selectedStyle = selectedStyle
        self.markStyle = markStyle
    }

    /// The first visible row for `rows` lines: the previous offset, moved just enough to show the selection.
    public func visibleOffset(rows: Int) -> Int {
        Self.firstVisible(count: items.count, selected: selected, rows: rows, offset: offset)
    }

    /// The same for lists drawn row by row with styles of their own (calls, trace, ladder).
    public static func firstVisible(count: Int, selected: Int?, rows: Int, offset: Int = 0) -> Int {
        guard rows > 0 else { return 0 }
        var first = min(max(0, offset), max(0, count - rows))
        if let selected, selected >= 0, selected < count {
            if selected < first { first = selected }
            if selected >= first + rows { first = selected - rows + 1 }
        }
        return first
    }

    /// Draws the visible rows, the selected one across the full width in `selectedStyle`, and "↑ more" /
    /// "↓ more" at the right of the first / last row when rows are hidden above / below.
    @discardableResult
    public func render(into buffer: inout CellBuffer, area: Rect) -> Int {
        guard !area.isEmpty else { return offset }
        let first = visibleOffset(rows: area.height)
        buffer.fill(area, style: style)
        for row in 0..<area.height {
            let index = first + row
            guard index < items.count else { break }
            let rowStyle = index == selected ? selectedStyle : style
            buffer.fill(Rect(x: area.x, y: area.y + row, width: area.width, height: 1), style: rowStyle)
            buffer.put(items[index], at: area.x, y: area.y + row, style: rowStyle, maxWidth: area.width, truncate: true)
        }
        let mark = 6
        if area.width > mark {
            if first > 0 {
                buffer.put("↑ more", at: area.maxX - mark, y: area.y, style: markStyle)
            }
            if first + area.height < items.count {
                buffer.put("↓ more", at: area.maxX - mark, y: area.maxY - 1, style: markStyle)
            }
        }
        return first
    }
}
