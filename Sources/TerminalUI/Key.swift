import CNcurses

/// A key press as the UI sees it, decoded from curses' `wget_wch`.
public enum Key: Hashable, Sendable {
    /// A printable character (any Unicode scalar that is not a control character).
    case character(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right
    case home, end, pageUp, pageDown
    /// F1…F63.
    case function(Int)
    /// A control character, named by its lower-case letter ("a"…"z") or by "@", "\\", "]", "^", "_".
    case ctrl(Character)
    /// The terminal changed size; read the backend's `size` again.
    case resize

    /// Decodes one `wget_wch` result: `code` is the character or key code, `isKeyCode` whether curses
    /// returned `KEY_CODE_YES`. Returns nil for keys the UI does not use and for invalid values.
    public static func decode(code: Int32, isKeyCode: Bool) -> Key? {
        isKeyCode ? decodeKeyCode(code) : decodeCharacter(code)
    }

    private static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    private static func decodeCharacter(_ code: Int32) -> Key? {
        switch code {
        case 13, 10: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 9: return .tab
        case 0: return .ctrl("@")
        case 1...26:
            guard let scalar = Unicode.Scalar(UInt32(code) + 0x60) else { return nil }
            return .ctrl(Character(scalar))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        case 0x80..<0xA0: return nil
        case 32...:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        default: return nil
        }
    }
}
