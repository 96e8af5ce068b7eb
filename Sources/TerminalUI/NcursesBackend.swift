@preconcurrency import CNcurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one owner of every curses call: it starts curses, writes `CellBuffer` differences to the screen and
/// reads keys. Curses is not thread-safe, so everything here runs on the main actor.
@MainActor
public final class NcursesBackend {
    /// The colours the terminal shows, from `COLORS` and `NO_COLOR`; styles are adapted to it.
    public let colorDepth: ColorDepth
    /// Whether the terminal's own colours (-1) can be used in pairs (`use_default_colors`).
    public let hasDefaultColors: Bool
    private var pairs: ColorPairAllocator
    private var isActive = true

    /// Starts curses on the controlling terminal. With `raw`, Ctrl-C, Ctrl-Z and Ctrl-S reach the UI as
    /// keys; otherwise (cbreak) they raise their signals, and SIGINT restores the terminal and ends the process.
    /// - Parameter inputTimeoutMs: how long `readKey` waits by default.
    public init(raw: Bool = false, inputTimeoutMs: Int32 = 100) {
        setlocale(LC_ALL, "")
        initscr()
        shim_install_restore_handlers()
        if raw { CNcurses.raw() } else { cbreak() }
        noecho()
        nonl()
        let screen = shim_stdscr()
        keypad(screen, true)
        intrflush(screen, false)
        scrollok(screen, false)
        set_escdelay(25)
        curs_set(0)
        wtimeout(screen, inputTimeoutMs)

        var colors = 0
        var defaults = false
        if has_colors() {
            start_color()
            defaults = use_default_colors() == OK
            colors = Int(shim_colors())
        }
        var environment: [String: String] = [:]
        if let noColor = getenv("NO_COLOR") { environment["NO_COLOR"] = String(cString: noColor) }
        colorDepth = ColorDepth.detect(environment: environment, colors: colors)
        hasDefaultColors = defaults
        let available = colorDepth == .monochrome ? 0 : Int(shim_color_pairs()) - 1
        pairs = ColorPairAllocator(capacity: min(available, 32_767))
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        var y: Int32 = 0
        var x: Int32 = 0
        shim_getmaxyx(shim_stdscr(), &y, &x)
        return (Int(max(0, x)), Int(max(0, y)))
    }

    /// Writes what changed between `previous` (what is on screen) and `buffer`, then updates the terminal.
    /// Without a previous frame, or after a resize, the screen is cleared and written whole.
    public func flush(_ buffer: CellBuffer, previous: CellBuffer?) {
        guard isActive else { return }
        let screen = shim_stdscr()
        let old: CellBuffer
        if let previous, previous.width == buffer.width, previous.height == buffer.height {
            old = previous
        } else {
            werase(screen)
            old = CellBuffer(width: 0, height: 0)
        }
        for change in buffer.diff(from: old) {
            let style = change.cell.style.adapted(to: colorDepth)
            var text = change.cell.text.unicodeScalars.map { wchar_t(truncatingIfNeeded: $0.value) }
            text.append(0)
            let attributes = attributes(of: style.attributes)
            let pair = pair(for: style)
            _ = text.withUnsafeBufferPointer { chars in
                shim_mvwaddwstr_styled(
                    screen, Int32(change.y), Int32(change.x), chars.baseAddress, attributes, Int32(pair))
            }
        }
        wnoutrefresh(screen)
        doupdate()
    }

    /// Waits up to `timeoutMs` milliseconds (negative: forever, 0: not at all) for a key. Returns nil when
    /// none came or the key is one the UI does not use.
    public func readKey(timeoutMs: Int32) -> Key? {
        guard isActive else { return nil }
        let screen = shim_stdscr()
        wtimeout(screen, timeoutMs)
        var code: Int32 = 0
        let result = shim_wget_wch(screen, &code)
        if result == ERR { return nil }
        return Key.decode(code: code, isKeyCode: result == KEY_CODE_YES)
    }

    /// Takes the terminal's new size after a SIGWINCH (see `TerminalWakeups`); the next `flush`
    /// then repaints everything, so no stale text survives.
    public func refreshSize() {
        guard isActive else { return }
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard shim_terminal_size(&rows, &columns) == 0 else { return }
        resizeterm(rows, columns)
        wclear(shim_stdscr())
    }

    /// Rings the terminal bell (an incoming call).
    public func bell() {
        guard isActive else { return }
        beep()
    }

    /// Ends curses and gives the terminal back. Safe to call more than once; the signal handlers and the
    /// exit hook call the same restore.
    public func restore() {
        guard isActive else { return }
        isActive = false
        shim_restore_terminal()
    }

    private func attributes(of attributes: Attributes) -> attr_t {
        var result = shim_a_normal()
        if attributes.contains(.bold) { result |= shim_a_bold() }
        if attributes.contains(.dim) { result |= shim_a_dim() }
        if attributes.contains(.italic) { result |= shim_a_italic() }
        if attributes.contains(.underline) { result |= shim_a_underline() }
        if attributes.contains(.reverse) { result |= shim_a_reverse() }
        return result
    }

    private func pair(for style: Style) -> Int {
        guard colorDepth != .monochrome else { return 0 }
        let fg = number(of: style.fg, fallback: Int(COLOR_WHITE))
        let bg = number(of: style.bg, fallback: Int(COLOR_BLACK))
        let (pair, isNew) = pairs.pair(fg: fg, bg: bg)
        if isNew { init_extended_pair(Int32(pair), Int32(fg), Int32(bg)) }
        return pair
    }

    /// A colour's curses number: -1 for the terminal's own, or `fallback` where default colours are missing.
    private func number(of color: Color, fallback: Int) -> Int {
        switch color {
        case .default: return hasDefaultColors ? -1 : fallback
        case .indexed(let index): return Int(index)
        }
    }
}
