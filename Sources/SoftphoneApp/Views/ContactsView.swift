import TerminalUI

/// The Contacts pane: each watched contact with a lamp (● busy, ◐ ringing, ○ idle, · unknown),
/// their presence and its note, or why nothing is known.
enum ContactsView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty, !state.contacts.isEmpty else { return }
        let selected = min(state.selectedContact ?? 0, state.contacts.count - 1)
        let first = ListView.firstVisible(count: state.contacts.count, selected: selected, rows: area.height)
        let nameWidth = min(max(8, state.contacts.map(\.label.terminalWidth).max() ?? 0), area.width / 2)
        for (row, contact) in state.contacts.dropFirst(first).prefix(area.height).enumerated() {
            let y = area.y + row
            let isSelected = first + row == selected && state.focus == .contacts
            let style = isSelected ? theme[.selected] : theme[role(contact)]
            if isSelected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            buffer.put(
                line(contact, nameWidth: nameWidth), at: area.x, y: y, style: style, maxWidth: area.width,
                truncate: true)
        }
    }

    static func line(_ contact: ContactRow, nameWidth: Int) -> String {
        let lamp: String
        switch contact.lamp {
        case .busy?: lamp = "●"
        case .ringing?: lamp = "◐"
        case .idle?: lamp = "○"
        case nil: lamp = "·"
        }
        var text = lamp + " " + contact.label.fitted(toWidth: nameWidth) + " "
        if let presence = contact.presence {
            text += presence
            if contact.lamp == .ringing { text += ", ringing" }
            if let note = contact.note, note.lowercased() != presence { text += " — " + note }
        } else if let problem = contact.problem {
            text += problem
        } else {
            text += contact.lamp == .ringing ? "ringing" : contact.lamp == .busy ? "in a call" : "…"
        }
        return text
    }

    static func role(_ contact: ContactRow) -> Role {
        if contact.lamp == .ringing { return .callRinging }
        switch contact.presence {
        case "available"?: return contact.lamp == .busy ? .callHeld : .registered
        case "busy"?, "on the phone"?: return .callHeld
        case "away"?: return .connecting
        case "offline"?: return .dimText
        default: return contact.problem == nil ? .dimText : .warning
        }
    }
}
