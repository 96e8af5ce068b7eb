import SIPUserAgent
import TerminalUI

/// The settings screen's part of the reducer: keys go to the form, outcomes come back to it, and
/// after an apply that re-registers or reconnects the form shows how that went.
enum SettingsReducer {
    static func key(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard var form = state.settings else {
            state.overlay = nil
            return []
        }
        let request = form.handle(key)
        state.settings = form
        switch request {
        case .close?:
            state.settings = nil
            state.settingsWatch = nil
            state.overlay = nil
            return [.settingsClosed]
        case let request?:
            if case .apply = request {
                state.settings?.report("Applying…", isError: false)
                state.settingsWatch = .applying(heard: [])
            }
            return [.settings(request)]
        case nil:
            return []
        }
    }

    static func reduce(_ state: inout AppState, _ outcome: SettingsOutcome) {
        if case .opened(let form) = outcome {
            state.settings = form
            state.overlay = .settings
            state.prompt = nil
            return
        }
        guard var form = state.settings else { return }
        switch outcome {
        case .opened: break
        case .applied(let values, let effect):
            // A re-register or reconnect has yet to show the values work: a rollback must still
            // return to the ones before (registered() confirms them).
            form.applied(values, awaitingServer: effect == .reRegister || effect == .reconnect)
            var heard: [ServerNews] = []
            if case .applying(let news)? = state.settingsWatch { heard = news }
            state.settingsWatch = nil
            switch effect {
            case .reRegister?:
                form.report("Applied; re-registering …", isError: false)
                state.settingsWatch = .waiting(.reRegister)
            case .reconnect?:
                form.report("Applied; reconnecting …", isError: false)
                state.settingsWatch = .waiting(.reconnect)
            default:
                form.report("Applied.", isError: false)
            }
            state.settings = form
            for news in heard { hear(&state, news) }
            return
        case .applyFailed(let reason):
            form.applyFailed(reason)
            state.settingsWatch = nil
        case .saved(let values): form.saved(values)
        case .saveFailed(let reason): form.report("Save failed: \(reason) (the form keeps your values)", isError: true)
        }
        state.settings = form
    }

    /// What the server said: an outcome of the apply being watched, kept while the apply runs.
    static func hear(_ state: inout AppState, _ news: ServerNews) {
        guard state.settings != nil else { return }
        switch state.settingsWatch {
        case .applying(var heard)?:
            heard.append(news)
            state.settingsWatch = .applying(heard: heard)
        case .waiting(let effect)?:
            switch news {
            case .registered(let response):
                state.settings?.accepted()
                state.settings?.report("Re-registered: \(response)", isError: false)
                state.settingsWatch = nil
            case .registrationFailed(let cause, let statusCode):
                state.settings?.applyFailed("registration failed: \(cause)" + (statusCode.map { " (\($0))" } ?? ""))
                state.settingsWatch = nil
            case .connected(let socket) where effect == .reconnect:
                state.settings?.report("Connected to \(socket); registering …", isError: false)
                state.settingsWatch = .waiting(.reRegister)
            case .connected:
                break
            }
        case nil:
            break
        }
    }

    /// The sockets list shows each row's connection: the one in use as the Account pane sees it.
    static func syncSockets(_ state: inout AppState) {
        guard state.settings != nil else { return }
        var states: [String: String] = [:]
        if let socket = state.account.socket {
            switch state.account.connection {
            case .connected: states[socket] = "connected"
            case .connecting(let attempt): states[socket] = "connecting (\(attempt))"
            case .disconnected: states[socket] = "disconnected"
            }
        }
        state.settings?.setSocketStates(states)
    }
}
