import Foundation
import TerminalUI

/// A call-flow ladder like sngrep's: two columns (this phone and the peer), one arrow per message
/// with its time, method or status, and "(SDP)" when it carries one; the selected message marked.
enum LadderView {
    static func render(
        _ entries: [TraceEntry], selected: TraceEntry, theme: Theme, into buffer: inout CellBuffer, area: Rect
    ) {
        guard area.width >= 30, area.height >= 3 else { return }
        let timeWidth = 13
        let left = area.x + timeWidth
        let right = area.maxX - 2
        let span = right - left
        let peer = entries.first?.remote ?? selected.remote
        buffer.put("this phone", at: left - 4, y: area.y, style: theme[.title], maxWidth: 12)
        let peerLabel = peer.fitted(toWidth: min(24, span / 2))
        buffer.put(peerLabel, at: max(left + 10, right - peerLabel.terminalWidth + 3), y: area.y, style: theme[.title])
        let rows = area.height - 1
        let index = entries.firstIndex(of: selected) ?? entries.count - 1
        let first = ListView.firstVisible(count: entries.count, selected: index, rows: rows)
        for (row, entry) in entries.dropFirst(first).prefix(rows).enumerated() {
            let y = area.y + 1 + row
            let isSelected = entry == selected
            let style = isSelected ? theme[.selected] : theme[entry.sent ? .logSent : .logReceived]
            buffer.put(TimeText.clock(entry.time, milliseconds: true), at: area.x, y: y, style: theme[.dimText])
            buffer.put(arrow(entry, width: span + 1), at: left, y: y, style: style)
        }
    }

    /// "│──── INVITE (SDP) ───>│" or "│<─── 200 OK ─────────│", exactly `width` columns.
    static func arrow(_ entry: TraceEntry, width: Int) -> String {
        let inner = max(4, width - 2)
        let label = " " + entry.label + " "
        let labelWidth = min(label.terminalWidth, inner - 3)
        let cutLabel = label.fitted(toWidth: labelWidth)
        let dashes = inner - labelWidth - 1
        let leading = dashes / 2
        let trailing = dashes - leading
        let line: String
        if entry.sent {
            line = String(repeating: "─", count: leading) + cutLabel + String(repeating: "─", count: trailing) + ">"
        } else {
            line = "<" + String(repeating: "─", count: leading) + cutLabel + String(repeating: "─", count: trailing)
        }
        return "│" + line + "│"
    }
}
