/// A one-line editor (dial target, `:` command line). The cursor counts graphemes, never bytes or
/// scalars, so "é" or "中" moves and deletes as one character. It is a plain value: key handling
/// mutates it and rendering reads it.
public struct TextInput: Sendable {
    public private(set) var value: String
    /// Cursor position in graphemes, 0...value.count.
    public private(set) var cursor: Int
    /// Earlier entries, oldest first.
    public private(set) var history: [String]
    private var historyIndex: Int?
    private var draft = ""

    public init(value: String = "", history: [String] = []) {
        self.value = value
        self.cursor = value.count
        self.history = history
    }

    private func index(_ offset: Int) -> String.Index { value.index(value.startIndex, offsetBy: offset) }

    /// Inserts at the cursor. A combining mark typed alone merges into the grapheme before it, so the
    /// cursor moves by the change in grapheme count, not by the inserted text's own count.
    public mutating func insert(_ text: String) {
        let before = value.count
        value.insert(contentsOf: text, at: index(cursor))
        cursor = min(value.count, cursor + value.count - before)
    }

    /// Deletes the grapheme before the cursor.
    public mutating func backspace() {
        guard cursor > 0 else { return }
        value.remove(at: index(cursor - 1))
        cursor -= 1
    }

    /// Deletes the grapheme under the cursor.
    public mutating func delete() {
        guard cursor < value.count else { return }
        value.remove(at: index(cursor))
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(value.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = value.count }

    /// Replaces the value with the previous history entry; the text being typed is kept as a draft.
    public mutating func historyUp() {
        guard !history.isEmpty else { return }
        if let current = historyIndex {
            historyIndex = max(0, current - 1)
        } else {
            draft = value
            historyIndex = history.count - 1
        }
        value = history[historyIndex ?? 0]
        cursor = value.count
    }

    /// Moves to the next history entry, and past the newest back to the draft.
    public mutating func historyDown() {
        guard let current = historyIndex else { return }
        if current + 1 < history.count {
            historyIndex = current + 1
            value = history[current + 1]
        } else {
            historyIndex = nil
            value = draft
        }
        cursor = value.count
    }

    /// Returns the value, records it in the history (not blanks, not a repeat of the last) and clears.
    public mutating func submit() -> String {
        let entered = value
        if !entered.isEmpty, history.last != entered { history.append(entered) }
        value = ""
        cursor = 0
        historyIndex = nil
        draft = ""
        return entered
    }

    /// The first grapheme shown in `width` columns: 0 while the text up to the cursor fits, otherwise
    /// just enough scrolled that the cursor sits in the last column.
    public func scroll(width: Int) -> Int {
        let graphemes = Array(value)
        var start = 0
        var used = graphemes[0..<cursor].reduce(0) { $0 + $1.terminalWidth } + 1
        while used > width, start < cursor {
            used -= graphemes[start].terminalWidth
            start += 1
        }
        return start
    }

    /// Draws the visible part of the value on the first row of `area`, the cursor cell in `cursorStyle`,
    /// and returns the cursor's screen column (for the backend's hardware cursor); nil when there is no room.
    @discardableResult
    public func render(
        into buffer: inout CellBuffer, area: Rect, style: Style = Style(),
        cursorStyle: Style = Style(attributes: .reverse)
    ) -> Int? {
        guard !area.isEmpty else { return nil }
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: style)
        let graphemes = Array(value)
        let start = scroll(width: area.width)
        let before = String(graphemes[start..<cursor])
        let cursorX = area.x + buffer.put(before, at: area.x, y: area.y, style: style, maxWidth: area.width)
        guard cursorX < area.maxX else { return nil }
        let under = cursor < graphemes.count ? String(graphemes[cursor]) : " "
        let used = buffer.put(under, at: cursorX, y: area.y, style: cursorStyle, maxWidth: area.maxX - cursorX)
        if cursor + 1 < graphemes.count {
            buffer.put(
                String(graphemes[(cursor + 1)...]), at: cursorX + used, y: area.y, style: style,
                maxWidth: area.maxX - cursorX - used)
        }
        return cursorX
    }
}
