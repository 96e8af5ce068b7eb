import Foundation
import TerminalUI

/// The SIP trace pane: every message sent and received (filterable), or the ladder of one dialog.
enum TraceView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        if state.trace.showLadder, let entry = state.trace.current {
            LadderView.render(
                state.trace.dialog(entry.callID), selected: entry, theme: theme, into: &buffer, area: area)
            return
        }
        let visible = state.trace.visible
        guard !visible.isEmpty else {
            let text = state.trace.filter.isEmpty ? "No SIP messages yet." : "Nothing matches “\(state.trace.filter)”."
            buffer.put(text, at: area.x, y: area.y, style: theme[.dimText], maxWidth: area.width, truncate: true)
            return
        }
        let selected = min(state.trace.selected ?? visible.count - 1, visible.count - 1)
        let first = ListView.firstVisible(count: visible.count, selected: selected, rows: area.height)
        for (row, entry) in visible.dropFirst(first).prefix(area.height).enumerated() {
            let y = area.y + row
            let isSelected = first + row == selected && state.focus == .trace
            let style = isSelected ? theme[.selected] : theme[entry.sent ? .logSent : .logReceived]
            if isSelected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            let arrow = entry.sent ? "→" : "←"
            let text =
                TimeText.clock(entry.time, milliseconds: true) + " " + arrow + " "
                + entry.label.fitted(toWidth: 22) + " " + entry.transport + " " + entry.remote
            buffer.put(text, at: area.x, y: y, style: style, maxWidth: area.width, truncate: true)
        }
    }
}
