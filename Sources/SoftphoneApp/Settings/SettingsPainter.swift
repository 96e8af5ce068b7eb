import TerminalUI

/// Writes text clipped to the form's inner rectangle, so nothing is drawn outside the form.
struct SettingsPainter {
    var buffer: CellBuffer
    let inner: Rect
    let theme: Theme

    /// Puts `text` at (x, y), at most `limit` columns and never past the inner right edge, ending in
    /// "…" when cut; returns the columns used.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, style: Style, limit: Int = Int.max) -> Int {
        guard y >= inner.y, y < inner.maxY, x >= inner.x, x < inner.maxX else { return 0 }
        let width = min(limit, inner.maxX - x)
        guard width > 0 else { return 0 }
        return buffer.put(text, at: x, y: y, style: style, maxWidth: width, truncate: true)
    }

    /// Paints a whole inner row (the selected line's bar).
    mutating func fill(y: Int, style: Style) {
        guard y >= inner.y, y < inner.maxY else { return }
        buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
    }

    /// Splits text into lines of at most `width` columns at spaces (a longer word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if candidate.terminalWidth <= width || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }
}
