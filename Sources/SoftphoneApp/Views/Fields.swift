import TerminalUI

/// Label–value rows, the layout of the Account and Registration panes.
struct Fields {
    var labelWidth: Int
    var theme: Theme

    /// Draws `label` dim and `value` after it on row `row` of `area`; returns the columns of the value drawn.
    @discardableResult
    func row(
        _ buffer: inout CellBuffer, _ area: Rect, _ row: Int, _ label: String, _ value: String, style: Style? = nil
    ) -> Int {
        guard row < area.height else { return 0 }
        let y = area.y + row
        buffer.put(label, at: area.x, y: y, style: theme[.dimText], maxWidth: min(labelWidth, area.width))
        let x = area.x + labelWidth
        guard x < area.maxX else { return 0 }
        return buffer.put(value, at: x, y: y, style: style ?? theme[.text], maxWidth: area.maxX - x, truncate: true)
    }
}
