/// Hands out curses colour-pair numbers for (foreground, background) combinations on demand: the same
/// combination always gets the same pair, and no more than `capacity` pairs are ever used. Colours are curses
/// colour numbers, -1 being the terminal's default. Pair 0 is curses' fixed default pair and is never
/// allocated; it is what (-1, -1) maps to and what a combination gets once the pairs run out.
public struct ColorPairAllocator: Sendable {
    public struct Colors: Hashable, Sendable {
        public var fg: Int
        public var bg: Int

        public init(fg: Int, bg: Int) {
            self.fg = fg
            self.bg = bg
        }
    }

    /// How many pairs (1…capacity) may be allocated.
    public let capacity: Int
    private var pairs: [Colors: Int] = [:]

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// How many pairs are allocated.
    public var count: Int { pairs.count }

    /// The pair for `fg` on `bg`, and whether it is new (the caller must then `init_pair` it). Falls back to
    /// pair 0 when the default colours are asked for or every pair is taken.
    public mutating func pair(fg: Int, bg: Int) -> (pair: Int, isNew: Bool) {
        if fg == -1 && bg == -1 { return (0, false) }
        let colors = Colors(fg: fg, bg: bg)
        if let existing = pairs[colors] { return (existing, false) }
        guard pairs.count < capacity else { return (0, false) }
        let number = pairs.count + 1
        pairs[colors] = number
        return (number, true)
    }

    /// Forgets every pair (after the palette was reset).
    public mutating func reset() { pairs.removeAll() }
}
