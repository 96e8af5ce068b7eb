/// A terminal colour. Named colours are the first 16 palette entries so that every colour is either the
/// terminal's own (`.default`, which keeps the user's background and transparency) or a palette index.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// An xterm 256-colour palette index: 0–15 the named colours, 16–231 a 6×6×6 cube, 232–255 greys.
    case indexed(UInt8)

    public static let black = Color.indexed(0)
    public static let red = Color.indexed(1)
    public static let green = Color.indexed(2)
    public static let yellow = Color.indexed(3)
    public static let blue = Color.indexed(4)
    public static let magenta = Color.indexed(5)
    public static let cyan = Color.indexed(6)
    public static let white = Color.indexed(7)
    public static let brightBlack = Color.indexed(8)
    public static let brightRed = Color.indexed(9)
    public static let brightGreen = Color.indexed(10)
    public static let brightYellow = Color.indexed(11)
    public static let brightBlue = Color.indexed(12)
    public static let brightMagenta = Color.indexed(13)
    public static let brightCyan = Color.indexed(14)
    public static let brightWhite = Color.indexed(15)

    /// The xterm RGB value of a palette index, used to find the nearest colour on a smaller palette.
    static func rgb(_ index: UInt8) -> (Int, Int, Int) {
        let base: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        let i = Int(index)
        if i < 16 { return base[i] }
        if i >= 232 {
            let grey = 8 + 10 * (i - 232)
            return (grey, grey, grey)
        }
        let levels = [0, 95, 135, 175, 215, 255]
        let cube = i - 16
        return (levels[cube / 36], levels[(cube / 6) % 6], levels[cube % 6])
    }

    /// The nearest colour among the 16 named ones, by RGB distance; for 8 colours, its normal-intensity
    /// twin (same hue, where RGB distance would turn a grey into yellow), bright black becoming white so
    /// that grey text stays readable on a dark background.
    func nearest(within count: Int) -> Color {
        guard case .indexed(let index) = self, Int(index) >= count else { return self }
        if count <= 8 {
            guard case .indexed(let named) = nearest(within: 16) else { return self }
            return named == 8 ? .white : .indexed(named >= 8 ? named - 8 : named)
        }
        let (r, g, b) = Color.rgb(index)
        var best = 0
        var bestDistance = Int.max
        for candidate in 0..<16 {
            let (cr, cg, cb) = Color.rgb(UInt8(candidate))
            let distance = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return .indexed(UInt8(best))
    }
}

/// Text attributes. They survive on every terminal, so monochrome rendering relies on them alone.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let italic = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
    public static let reverse = Attributes(rawValue: 1 << 4)
}

/// How a cell looks: foreground, background and attributes. Widgets take styles as parameters so that
/// themes stay data, outside this module.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    /// The style as a terminal of `depth` can show it. Colours map to the nearest available one; on a
    /// monochrome terminal only attributes remain, and a style that relied on a background colour (a
    /// selected row, a status bar) gains `reverse` so that it still stands out.
    public func adapted(to depth: ColorDepth) -> Style {
        switch depth {
        case .c256:
            return self
        case .c16:
            return Style(fg: fg.nearest(within: 16), bg: bg.nearest(within: 16), attributes: attributes)
        case .c8:
            return Style(fg: fg.nearest(within: 8), bg: bg.nearest(within: 8), attributes: attributes)
        case .monochrome:
            var attributes = attributes
            if bg != .default { attributes.insert(.reverse) }
            return Style(attributes: attributes)
        }
    }
}

/// How many colours the terminal shows; every style is adapted to it before it reaches the backend.
public enum ColorDepth: Hashable, Sendable {
    case c256, c16, c8, monochrome

    /// The depth to use, from the environment and the terminal's colour count (curses' `COLORS`).
    /// `NO_COLOR` set to a non-empty value turns colour off whatever the terminal can do (no-color.org).
    public static func detect(environment: [String: String], colors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        switch colors {
        case 256...: return .c256
        case 16...: return .c16
        case 8...: return .c8
        default: return .monochrome
        }
    }
}
