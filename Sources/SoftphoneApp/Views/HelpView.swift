import TerminalUI

/// The help box for the focused pane, generated from the action table and the key map, so it
/// always tells the truth about the keys in use.
enum HelpView {
    static func lines(for pane: PaneID, keys: KeyMap) -> [String] {
        var lines: [String] = []
        let actions = UIAction.allCases.filter { action in
            guard let panes = action.panes else { return true }
            return panes.contains(pane)
        }.filter { ![.pane2, .pane3, .pane4, .pane5, .pane6].contains($0) }
        let width = actions.map { keys.spelling($0).terminalWidth }.max() ?? 0
        for action in actions {
            let spelled = keys.spelling(action)
            guard !spelled.isEmpty else { continue }
            let summary = action == .pane1 ? "focus pane 1…6 (Account … Messages, Contacts)" : action.summary
            lines.append(spelled.fitted(toWidth: width + 2) + summary)
        }
        lines.append("")
        lines.append("Commands (:): " + CommandLine.verbs.map(\.name).joined(separator: " "))
        lines.append("Keys are set in [sipterm.keys] of the config file, e.g. hangup = [\"F5\", \"x\"].")
        return lines
    }

    static func render(_ pane: PaneID, keys: KeyMap, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let content = lines(for: pane, keys: keys)
        let width = min(area.width - 2, 96, max(40, (content.map(\.terminalWidth).max() ?? 0) + 4))
        let height = min(area.height - 2, content.count + 4)
        let box = area.centred(width: width, height: height)
        buffer.fill(box, style: theme[.dialog])
        Pane(
            title: "Help — \(pane.title)", focused: true, style: theme[.dialog], focusedStyle: theme[.dialog],
            titleStyle: theme[.dialog]
        ).render(into: &buffer, area: box)
        let inner = box.inset(by: 1)
        for (n, line) in content.prefix(max(0, inner.height - 1)).enumerated() {
            buffer.put(
                line, at: inner.x + 1, y: inner.y + n, style: theme[.dialog], maxWidth: inner.width - 2, truncate: true)
        }
        if inner.height > 0 {
            buffer.put(
                "Press any key to close", at: inner.x + 1, y: inner.maxY - 1, style: theme[.dimText],
                maxWidth: inner.width - 2)
        }
    }
}
