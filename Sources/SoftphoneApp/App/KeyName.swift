import Foundation
import TerminalUI

/// Key names as people write them in `[sipterm.keys]` and read them in help: "F5", "x", "Ctrl-X",
/// "Enter", "Esc", "Tab", "Shift-Tab", "Up", "PgDn", "Space".
public enum KeyName {
    static let named: [String: Key] = [
        "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab,
        "shift-tab": .backTab, "backtab": .backTab, "backspace": .backspace, "delete": .delete, "del": .delete,
        "up": .up, "down": .down, "left": .left, "right": .right, "home": .home, "end": .end,
        "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown, "space": .character(" "),
    ]

    /// The key a name stands for, or nil.
    public static func parse(_ text: String) -> Key? {
        let name = text.trimmingCharacters(in: .whitespaces)
        if name.count == 1, let character = name.first { return .character(character) }
        let lower = name.lowercased()
        if let key = named[lower] { return key }
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...63).contains(number) {
            return .function(number)
        }
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            if rest.count == 1, let letter = rest.first, letter.isLetter, letter.isASCII { return .ctrl(letter) }
        }
        return nil
    }

    /// How help and the hint bar spell a key.
    public static func spell(_ key: Key) -> String {
        switch key {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let number): return "F\(number)"
        case .ctrl(let character): return "Ctrl-" + String(character).uppercased()
        case .resize: return "Resize"
        }
    }
}
