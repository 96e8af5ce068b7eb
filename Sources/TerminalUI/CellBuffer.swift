/// One terminal cell: a grapheme and its style. A wide character occupies its own cell and the next one,
/// whose text is "" so that nothing is ever drawn over the right half of a CJK character or emoji.
public struct Cell: Hashable, Sendable {
    /// One grapheme, or "" for the continuation of a wide character.
    public var text: String
    public var style: Style

    public init(text: String = " ", style: Style = Style()) {
        self.text = text
        self.style = style
    }

    /// An empty cell in the terminal's own colours.
    public static let blank = Cell()
}

/// A rectangle of cells, origin top-left. Widgets draw only inside the `Rect` they are given.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The rectangle shrunk by `n` cells on every side (the inside of a border).
    public func inset(by n: Int) -> Rect {
        Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n)
    }

    /// The part of both rectangles; empty when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }

    /// A `width`×`height` rectangle centred in this one (clamped to it).
    public func centred(width: Int, height: Int) -> Rect {
        let w = min(width, self.width)
        let h = min(height, self.height)
        return Rect(x: x + (self.width - w) / 2, y: y + (self.height - h) / 2, width: w, height: h)
    }
}

/// An in-memory screen, as in ratatui: widgets render into a buffer, and the backend writes only the
/// difference from the previous frame. Tests read it back as text.
public struct CellBuffer: Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at a position; outside the buffer reads as blank and writes are ignored, so widgets
    /// need not clip by hand.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `string` from (x, y) on one row and returns the columns used. It stops at the buffer's edge
    /// or after `maxWidth` columns. With `truncate`, a string that does not fit ends in "…"; otherwise a
    /// wide character that would straddle the limit is replaced by spaces up to it, never split.
    @discardableResult
    public mutating func put(
        _ string: String, at x: Int, y: Int, style: Style = Style(), maxWidth: Int? = nil, truncate: Bool = false
    ) -> Int {
        guard y >= 0, y < height, x >= 0 else { return 0 }
        let limit = min(maxWidth ?? Int.max, width - x)
        guard limit > 0 else { return 0 }
        let ellipsis = truncate && string.terminalWidth > limit
        let available = ellipsis ? limit - 1 : limit
        var used = 0
        for character in string {
            let w = character.terminalWidth
            if w == 0 { continue }
            if used + w > available {
                if !ellipsis {
                    while used < available {
                        write(" ", width: 1, x: x + used, y: y, style: style)
                        used += 1
                    }
                }
                break
            }
            write(String(character), width: w, x: x + used, y: y, style: style)
            used += w
        }
        if ellipsis {
            write("…", width: 1, x: x + used, y: y, style: style)
            used += 1
        }
        return used
    }

    /// Puts one grapheme of width `w` and keeps wide characters whole: a wide character partly
    /// overwritten loses its other half to a space.
    private mutating func write(_ text: String, width w: Int, x: Int, y: Int, style: Style) {
        if self[x, y].text.isEmpty, x > 0 { self[x - 1, y].text = " " }
        if x + w < width, self[x + w, y].text.isEmpty { self[x + w, y].text = " " }
        self[x, y] = Cell(text: text, style: style)
        if w == 2 { self[x + 1, y] = Cell(text: x + 1 < width ? "" : " ", style: style) }
    }

    /// Clears `rect` to spaces in `style` (a pane's background, a dialog's shadow area).
    public mutating func fill(_ rect: Rect, style: Style = Style()) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            if self[clipped.x, y].text.isEmpty, clipped.x > 0 { self[clipped.x - 1, y].text = " " }
            if clipped.maxX < width, self[clipped.maxX, y].text.isEmpty { self[clipped.maxX, y].text = " " }
            for x in clipped.x..<clipped.maxX { self[x, y] = Cell(text: " ", style: style) }
        }
    }

    /// Changes the style of every cell in `rect`, keeping its text (a selected row's highlight).
    public mutating func setStyle(_ rect: Rect, style: Style) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { self[x, y].style = style }
        }
    }

    /// The cells a backend must write to turn `old` into this buffer, in row order. Continuation cells are
    /// left out: writing the wide character covers them. A buffer of another size differs everywhere.
    public func diff(from old: CellBuffer) -> [(x: Int, y: Int, cell: Cell)] {
        let sameSize = old.width == width && old.height == height
        var changes: [(x: Int, y: Int, cell: Cell)] = []
        for y in 0..<height {
            for x in 0..<width {
                let cell = cells[y * width + x]
                if cell.text.isEmpty { continue }
                if sameSize && old.cells[y * width + x] == cell { continue }
                changes.append((x, y, cell))
            }
        }
        return changes
    }

    /// Row `y` as text, wide-character continuations skipped.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        return cells[(y * width)..<((y + 1) * width)].map(\.text).joined()
    }

    /// Every row as text, joined by "\n": what tests compare against.
    public var text: String { (0..<height).map(line).joined(separator: "\n") }
}
