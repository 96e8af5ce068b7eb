import TerminalUI

/// The boxes drawn over the panes: incoming call, quit confirmation, transfer request, raw message.
enum OverlayView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        guard let overlay = state.overlay else { return }
        switch overlay {
        case .help(let pane):
            HelpView.render(pane, keys: state.keys, theme: theme, into: &buffer, area: area)
        case .incomingCall(let id, let button):
            let call = state.calls.first { $0.id == id }
            dialog(
                "Incoming call", [call?.remote ?? "", "on line \(call?.line ?? 0)"],
                ["Answer (a)", "Reject (r)", "Busy (b)"], button, theme, &buffer, area)
        case .confirmQuit(let button):
            let count = state.activeCalls.count
            dialog(
                "Quit sipterm?",
                ["\(count) call\(count == 1 ? " is" : "s are") up; quitting hangs \(count == 1 ? "it" : "them") up."],
                ["Quit (y)", "Stay (n)"], button, theme, &buffer, area)
        case .referRequest(_, let target, let button):
            dialog(
                "Transfer requested", ["The other party asks you to call", target], ["Accept (y)", "Reject (n)"],
                button, theme, &buffer, area)
        case .rawMessage(let entry, let scroll):
            raw(entry, scroll: scroll, theme: theme, into: &buffer, area: area)
        case .settings:
            state.settings?.render(into: &buffer, area: area, theme: theme)
        }
    }

    private static func dialog(
        _ title: String, _ lines: [String], _ buttons: [String], _ selected: Int, _ theme: Theme,
        _ buffer: inout CellBuffer, _ area: Rect
    ) {
        Dialog(
            title: title, lines: lines, buttons: buttons, selectedButton: selected, style: theme[.dialog],
            buttonStyle: theme[.dialogButton], selectedButtonStyle: theme[.dialogButtonSelected]
        ).render(into: &buffer, area: area)
    }

    /// The whole message, scrollable, in a box over most of the screen.
    private static func raw(_ entry: TraceEntry, scroll: Int, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let box = area.centred(width: area.width - 4, height: area.height - 2)
        guard box.width > 4, box.height > 3 else { return }
        buffer.fill(box, style: theme[.dialog])
        let title =
            (entry.sent ? "Sent to " : "Received from ") + entry.remote + " at "
            + TimeText.clock(entry.time, milliseconds: true)
        Pane(
            title: title, focused: true, style: theme[.dialog], focusedStyle: theme[.dialog], titleStyle: theme[.dialog]
        )
        .render(into: &buffer, area: box)
        let inner = box.inset(by: 1)
        let lines = entry.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let first = min(scroll, max(0, lines.count - (inner.height - 1)))
        for (n, line) in lines.dropFirst(first).prefix(inner.height - 1).enumerated() {
            buffer.put(
                line, at: inner.x + 1, y: inner.y + n, style: theme[.dialog], maxWidth: inner.width - 2, truncate: true)
        }
        buffer.put("↑/↓ scroll · any other key closes", at: inner.x + 1, y: inner.maxY - 1, style: theme[.dimText])
    }
}
