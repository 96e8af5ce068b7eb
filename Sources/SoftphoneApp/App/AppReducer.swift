import Foundation
import SIPUserAgent
import TerminalUI

/// The one place the state changes: `reduce` takes an action and returns what the runtime must do.
public enum AppReducer {
    public static func reduce(_ state: inout AppState, _ action: AppAction) -> [AppEffect] {
        switch action {
        case .key(let key):
            return KeyReducer.reduce(&state, key)
        case .event(let event, let time):
            state.now = max(state.now, time)
            let effects = EventReducer.reduce(&state, event, at: time)
            SettingsReducer.syncSockets(&state)
            return effects
        case .status(let status, let time):
            state.now = max(state.now, time)
            StatusReducer.reduce(&state, status, at: time)
            SettingsReducer.syncSockets(&state)
            return []
        case .tick(let time):
            state.now = time
            return []
        case .settings(let outcome):
            SettingsReducer.reduce(&state, outcome)
            SettingsReducer.syncSockets(&state)
            return []
        case .notice(let text, let isError, let time):
            state.notice = Notice(text: text, isError: isError, time: time)
            return []
        }
    }
}
