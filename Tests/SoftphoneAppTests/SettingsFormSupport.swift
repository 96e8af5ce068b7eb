import SIPUserAgent
import TerminalUI

@testable import SoftphoneApp

/// A valid running configuration for form tests.
let settingsBase: [String: ConfigValue] = [
    "uri": .string("sip:alice@example.com"),
    "sockets": .array([.string("udp://127.0.0.1:5060")]),
    "password": .string("s3cret-pw"),
    "instance_id": .string("0a1b2c3d-0000-4000-8000-0123456789ab"),
]

let settingsThemes = ["default", "high-contrast", "light", "monochrome"]

func makeForm(
    current: [String: ConfigValue] = settingsBase, saved: [String: ConfigValue]? = nil
) -> SettingsForm {
    SettingsForm(current: current, saved: saved ?? current, themes: settingsThemes)
}

extension SettingsForm {
    /// Sends each character of `text` as a key.
    mutating func type(_ text: String) {
        for character in text { _ = handle(.character(character)) }
    }

    /// Selects `name`, edits it to `text` (replacing what was there) and accepts.
    mutating func set(_ name: String, to text: String) {
        select(name)
        _ = handle(.enter)
        _ = handle(.ctrl("u"))
        type(text)
        _ = handle(.enter)
    }

    /// The form drawn at a size with the built-in theme.
    func drawn(width: Int = 80, height: Int = 24) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        render(into: &buffer, area: buffer.area, theme: .builtIn)
        return buffer
    }
}

extension CellBuffer {
    /// The row holding `text`, if any.
    func row(containing text: String) -> Int? { (0..<height).first { line($0).contains(text) } }

    /// The row of a parameter's field (its name after the border and the modified mark).
    func fieldRow(_ key: String) -> Int? {
        (0..<height).first { y in
            let text = line(y)
            let label = text.dropFirst(2)
            // A key of 20 or more characters may be the visible start of a name cut with "…".
            return label.hasPrefix(key + " ") || (key.count >= 20 && label.hasPrefix(key))
        }
    }

    /// The column where `text` starts on row `y` (in cells; text before it is assumed single-width).
    func column(of text: String, y: Int) -> Int? {
        var x = 0
        while x < width {
            var candidate = ""
            var probe = x
            while probe < width, candidate.count < text.count {
                candidate += self[probe, y].text
                probe += 1
            }
            if candidate == text { return x }
            x += 1
        }
        return nil
    }
}
