import Foundation
import TerminalUI

/// The Messages pane: MESSAGEs in and out, each with its peer, newest at the bottom.
enum MessagesView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        guard !state.messages.isEmpty else {
            let hint = "No messages. \(state.keys.shortSpelling(.message)) writes one."
            buffer.put(hint, at: area.x, y: area.y, style: theme[.dimText], maxWidth: area.width, truncate: true)
            return
        }
        let selected = state.selectedMessage ?? state.messages.count - 1
        let first = ListView.firstVisible(count: state.messages.count, selected: selected, rows: area.height)
        for (row, message) in state.messages.dropFirst(first).prefix(area.height).enumerated() {
            let y = area.y + row
            let isSelected = first + row == selected && state.focus == .messages
            let style = isSelected ? theme[.selected] : theme[message.incoming ? .logReceived : .logSent]
            if isSelected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            var text = TimeText.clock(message.time) + (message.incoming ? " ← " : " → ") + peerName(message.peer)
            text += ": " + message.body.replacingOccurrences(of: "\n", with: " ")
            if !message.incoming, let code = message.statusCode, code >= 300 { text += " [\(code)]" }
            buffer.put(text, at: area.x, y: y, style: style, maxWidth: area.width, truncate: true)
        }
    }

    /// "sip:echo@demo" → "echo@demo": the scheme adds nothing in a narrow pane.
    static func peerName(_ peer: String) -> String {
        var text = peer
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        for scheme in ["sip:", "sips:"] where text.hasPrefix(scheme) { return String(text.dropFirst(scheme.count)) }
        return text
    }
}
