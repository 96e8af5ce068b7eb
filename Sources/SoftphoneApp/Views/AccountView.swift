import TerminalUI

/// The Account pane: who this phone is and the socket it uses.
enum AccountView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let fields = Fields(labelWidth: 9, theme: theme)
        let account = state.account
        fields.row(&buffer, area, 0, "Name", account.displayName ?? "(none)")
        fields.row(&buffer, area, 1, "URI", account.uri)
        var socket = account.socket ?? "(none)"
        if let transport = account.transport { socket += " (\(transport))" }
        fields.row(&buffer, area, 2, "Socket", socket)
        let (text, role) = connection(account)
        fields.row(&buffer, area, 3, "State", text, style: theme[role])
        fields.row(&buffer, area, 4, "Agent", account.userAgent)
    }

    static func connection(_ account: AccountState) -> (String, Role) {
        switch account.connection {
        case .connected:
            let nat = account.publicAddress.map { " (NAT: seen as \($0))" } ?? ""
            return ("● connected" + (account.localAddress.map { " from \($0)" } ?? "") + nat, .registered)
        case .connecting(let attempt): return ("◌ connecting (attempt \(attempt))", .connecting)
        case .disconnected(let reason): return ("○ disconnected" + (reason.map { ": \($0)" } ?? ""), .unregistered)
        }
    }
}
