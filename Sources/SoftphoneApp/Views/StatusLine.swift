import TerminalUI

/// The top line: the account and its registration at a glance, and the calls up. No clock: an idle
/// phone does not wake up to redraw one.
enum StatusLine {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let (registration, _) = RegistrationView.status(state.registration)
        let account = state.account.uri.isEmpty ? "no account" : MessagesView.peerName(state.account.uri)
        let calls = state.activeCalls.count
        let left = " sipterm · \(account) · \(registration)"
        let right = calls > 0 ? "\(calls) call\(calls == 1 ? "" : "s") " : ""
        StatusBar(left: left, right: right, style: theme[.statusBar]).render(into: &buffer, area: area)
    }
}
