import Foundation
import TerminalUI

/// The Calls pane: a header and one row per call (line, direction, remote party, state, duration,
/// hold/mute marks, codec and quality), the selected one highlighted.
enum CallsView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        guard !state.calls.isEmpty else {
            let keys = state.keys
            let hint = "No calls. \(keys.shortSpelling(.call)) or \(KeyName.spell(.character(":")))call TARGET to dial."
            buffer.put(hint, at: area.x, y: area.y, style: theme[.dimText], maxWidth: area.width, truncate: true)
            return
        }
        let remoteWidth = max(10, min(40, area.width - 56))
        buffer.put(
            header(remoteWidth), at: area.x, y: area.y, style: theme[.dimText], maxWidth: area.width, truncate: true)
        let rows = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        guard !rows.isEmpty else { return }
        let selected = state.calls.firstIndex { $0.id == state.selectedCall }
        let first = ListView.firstVisible(count: state.calls.count, selected: selected, rows: rows.height)
        for (row, call) in state.calls.dropFirst(first).prefix(rows.height).enumerated() {
            let y = rows.y + row
            let isSelected = call.id == state.selectedCall
            let style = isSelected ? theme[.selected] : theme[role(call)]
            if isSelected { buffer.fill(Rect(x: rows.x, y: y, width: rows.width, height: 1), style: style) }
            let text = line(call, now: state.now, remoteWidth: remoteWidth)
            buffer.put(text, at: rows.x, y: y, style: style, maxWidth: rows.width, truncate: true)
        }
    }

    static func header(_ remoteWidth: Int) -> String {
        "Ln  " + "Remote".fitted(toWidth: remoteWidth) + " " + "State".fitted(toWidth: 22) + " "
            + "Time".fitted(toWidth: 7) + " Flags Codec Quality"
    }

    static func line(_ call: CallRow, now: Date, remoteWidth: Int) -> String {
        let direction = call.incoming ? "←" : "→"
        var time = ""
        if let confirmed = call.confirmedAt {
            time = TimeText.duration((call.endedAt ?? now).timeIntervalSince(confirmed))
        }
        var flags = ""
        flags += call.localHold || call.remoteHold ? "H" : "·"
        flags += call.muted ? "M" : "·"
        // S: the audio is SRTP (what kind is in the agent's status and the call's detail).
        flags += call.security?.hasPrefix("SRTP") == true ? "S" : "·"
        var quality = ""
        if call.isEstablished, let received = call.media["packets_received"] {
            let loss = (call.media["loss_fraction"] ?? 0) * 100
            let jitter = call.media["jitter_ms"] ?? 0
            quality = "rx \(Int(received)) loss \(Int(loss.rounded()))% jit \(Int(jitter.rounded()))ms"
        }
        return "\(call.line)\(direction)  " + call.remote.fitted(toWidth: remoteWidth) + " "
            + call.stateText.fitted(toWidth: 22) + " "
            + time.fitted(toWidth: 7) + " " + flags.fitted(toWidth: 5) + " " + (call.codec ?? "").fitted(toWidth: 5)
            + " " + quality
    }

    static func role(_ call: CallRow) -> Role {
        switch call.phase {
        case .calling, .ringing: return .callRinging
        case .answered, .active: return call.localHold || call.remoteHold ? .callHeld : .callActive
        case .ended: return .callEnded
        }
    }
}
