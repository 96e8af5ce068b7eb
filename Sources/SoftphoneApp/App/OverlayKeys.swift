import TerminalUI

/// Keys while an overlay is up: its own letters and buttons, and the key map's answer/reject/busy
/// on the incoming-call box.
enum OverlayKeys {
    static func reduce(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let overlay = state.overlay else { return [] }
        let action = state.keys.action(for: key)
        switch overlay {
        case .help:
            state.overlay = nil
        case .rawMessage(let entry, let scroll):
            switch action {
            case .up?: state.overlay = .rawMessage(entry, scroll: max(0, scroll - 1))
            case .down?: state.overlay = .rawMessage(entry, scroll: scroll + 1)
            case .pageUp?: state.overlay = .rawMessage(entry, scroll: max(0, scroll - 10))
            case .pageDown?: state.overlay = .rawMessage(entry, scroll: scroll + 10)
            default: state.overlay = nil
            }
        case .incomingCall(let id, let button):
            let choices: [UIAction] = [.answer, .reject, .busy]
            if let chosen = buttonChoice(
                key, button: button, count: choices.count, set: { state.overlay = .incomingCall(id: id, button: $0) })
            {
                return chosen < 0 ? close(&state) : KeyReducer.perform(&state, choices[chosen])
            }
            if let action, choices.contains(action) { return KeyReducer.perform(&state, action) }
            if key == .character("r") { return KeyReducer.perform(&state, .reject) }
        case .confirmQuit(let button):
            if key == .character("y") { return [.quit] }
            if key == .character("n") { return close(&state) }
            if let chosen = buttonChoice(
                key, button: button, count: 2, set: { state.overlay = .confirmQuit(button: $0) })
            {
                if chosen == 0 { return [.quit] }
                return close(&state)
            }
        case .referRequest(let id, let target, let button):
            if key == .character("y") || key == .character("a") { return accept(&state, id) }
            if key == .character("n") || key == .character("r") { return decline(&state, id) }
            if let chosen = buttonChoice(
                key, button: button, count: 2,
                set: {
                    state.overlay = .referRequest(id: id, target: target, button: $0)
                })
            {
                if chosen == 0 { return accept(&state, id) }
                return decline(&state, id)
            }
        case .settings:
            return SettingsReducer.key(&state, key)
        }
        return []
    }

    /// Left/Right/Tab move between buttons (through `set`); Enter returns the button, Esc -1; other keys nil.
    private static func buttonChoice(_ key: Key, button: Int, count: Int, set: (Int) -> Void) -> Int? {
        switch key {
        case .left, .backTab: set((button + count - 1) % count)
        case .right, .tab: set((button + 1) % count)
        case .enter: return button
        case .escape: return -1
        default: break
        }
        return nil
    }

    private static func close(_ state: inout AppState) -> [AppEffect] {
        state.overlay = nil
        return []
    }

    private static func accept(_ state: inout AppState, _ id: String) -> [AppEffect] {
        state.overlay = nil
        return [.acceptRefer(id: id)]
    }

    private static func decline(_ state: inout AppState, _ id: String) -> [AppEffect] {
        state.overlay = nil
        return [.rejectRefer(id: id)]
    }
}
