import SIPUserAgent
import TerminalUI

/// The top line: the account and its registration at a glance, and the calls up. No clock: an idle
/// phone does not wake up to redraw one.
enum StatusLine {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let (registration, _) = RegistrationView.status(state.registration)
        let account = state.account.uri.isEmpty ? "no account" : MessagesView.peerName(state.account.uri)
        let calls = state.activeCalls.count
        let left = " sipterm · \(account) · \(registration)"
        var right = calls > 0 ? "\(calls) call\(calls == 1 ? "" : "s") " : ""
        if let waiting = voicemail(state.voicemail) { right = waiting + (right.isEmpty ? " " : " · " + right) }
        StatusBar(left: left, right: right, style: theme[.statusBar]).render(into: &buffer, area: area)
    }

    /// "✉ 2 new (1 urgent)" while voice messages wait; "✉ messages waiting" without counts.
    static func voicemail(_ summary: MessageSummary?) -> String? {
        guard let summary, summary.messagesWaiting else { return nil }
        guard let voice = summary.voice, voice.new > 0 else { return "✉ messages waiting" }
        let urgent = voice.urgentNew.flatMap { $0 > 0 ? " (\($0) urgent)" : nil } ?? ""
        return "✉ \(voice.new) new\(urgent)"
    }
}
