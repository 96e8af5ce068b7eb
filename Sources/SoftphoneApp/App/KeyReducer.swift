import Foundation
import TerminalUI

/// Keys: an overlay takes them first, then an open prompt, then the key map's actions.
enum KeyReducer {
    static func reduce(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        if key == .resize { return [] }
        if state.overlay != nil { return OverlayKeys.reduce(&state, key) }
        if state.prompt != nil { return PromptKeys.reduce(&state, key) }
        guard let action = state.keys.action(for: key) else { return [] }
        return perform(&state, action)
    }

    /// Does one named action (from a key, or the overlay's buttons).
    static func perform(_ state: inout AppState, _ action: UIAction) -> [AppEffect] {
        switch action {
        case .help: state.overlay = .help(state.focus)
        case .settings: return [.openSettings]
        case .call: state.prompt = Prompt(kind: .dial, input: TextInput(history: state.dialHistory))
        case .answer:
            guard let call = ringing(state) else { return refuse(&state, "no call is ringing") }
            return [.answer(id: call.id)]
        case .reject:
            guard let call = ringing(state) else { return refuse(&state, "no call is ringing") }
            return [.terminate(id: call.id, statusCode: 603, reasonPhrase: "Decline")]
        case .busy:
            guard let call = ringing(state) else { return refuse(&state, "no call is ringing") }
            return [.terminate(id: call.id, statusCode: 486, reasonPhrase: "Busy Here")]
        case .hangup:
            guard let call = state.currentCall else { return refuse(&state, "no call to hang up") }
            return [.terminate(id: call.id, statusCode: nil, reasonPhrase: nil)]
        case .hold:
            guard let call = established(state) else { return refuse(&state, "no established call to hold") }
            return [call.localHold ? .unhold(id: call.id) : .hold(id: call.id)]
        case .mute:
            guard let call = established(state) else { return refuse(&state, "no established call to mute") }
            return [call.muted ? .unmute(id: call.id) : .mute(id: call.id)]
        case .transfer:
            guard let call = established(state) else { return refuse(&state, "no established call to transfer") }
            state.prompt = Prompt(kind: .transfer(callID: call.id))
        case .dtmf:
            guard let call = established(state) else { return refuse(&state, "no established call for DTMF") }
            state.prompt = Prompt(kind: .dtmf(callID: call.id))
        case .quit:
            if state.activeCalls.isEmpty { return [.quit] }
            state.overlay = .confirmQuit(button: 1)
        case .message:
            if state.focus == .contacts, let contact = selectedContact(state) {
                state.prompt = Prompt(kind: .messageBody(peer: contact.uri))
            } else if state.focus == .messages, let index = state.selectedMessage, index < state.messages.count {
                state.prompt = Prompt(kind: .messageBody(peer: state.messages[index].peer))
            } else {
                state.prompt = Prompt(kind: .messageTarget)
            }
        case .register: return [state.registration.status == .registered ? .unregister : .register]
        case .focusNext: state.focus = shown(state, state.focus.next, else: \.next)
        case .focusPrevious: state.focus = shown(state, state.focus.previous, else: \.previous)
        case .pane1, .pane2, .pane3, .pane4, .pane5, .pane6:
            let panes: [UIAction] = [.pane1, .pane2, .pane3, .pane4, .pane5, .pane6]
            let pane = PaneID(rawValue: panes.firstIndex(of: action) ?? 0) ?? .calls
            guard pane != .contacts || !state.contacts.isEmpty else {
                return refuse(&state, "no contacts: add some in Settings (sipterm.contacts)")
            }
            state.focus = pane
        case .commandLine: state.prompt = Prompt(kind: .command, input: TextInput(history: state.commandHistory))
        case .up, .down, .top, .bottom, .pageUp, .pageDown: Selection.move(&state, action)
        case .open:
            if state.focus == .trace, let entry = state.trace.current { state.overlay = .rawMessage(entry, scroll: 0) }
            if state.focus == .calls, ringing(state) != nil { return perform(&state, .answer) }
            if state.focus == .contacts, let contact = selectedContact(state) { return [.call(target: contact.uri)] }
        case .filter:
            state.focus = .trace
            state.prompt = Prompt(kind: .filter, input: TextInput(value: state.trace.filter))
        case .ladder:
            state.focus = .trace
            state.trace.showLadder.toggle()
        }
        return []
    }

    /// `pane`, or the one after it in `direction` when it is the Contacts pane and nobody is in it.
    static func shown(_ state: AppState, _ pane: PaneID, else direction: KeyPath<PaneID, PaneID>) -> PaneID {
        pane == .contacts && state.contacts.isEmpty ? pane[keyPath: direction] : pane
    }

    static func selectedContact(_ state: AppState) -> ContactRow? {
        guard !state.contacts.isEmpty else { return nil }
        return state.contacts[min(state.selectedContact ?? 0, state.contacts.count - 1)]
    }

    static func ringing(_ state: AppState) -> CallRow? {
        if let call = state.currentCall, call.isAwaitingAnswer { return call }
        return state.calls.last { $0.isAwaitingAnswer }
    }

    static func established(_ state: AppState) -> CallRow? {
        if let call = state.currentCall, call.isEstablished { return call }
        return state.calls.last { $0.isEstablished }
    }

    static func refuse(_ state: inout AppState, _ text: String) -> [AppEffect] {
        state.notice = Notice(text: text, isError: true, time: state.now)
        return []
    }
}

/// Moving the selection of the focused list.
enum Selection {
    static func move(_ state: inout AppState, _ action: UIAction) {
        switch state.focus {
        case .calls:
            let ids = state.calls.map(\.id)
            guard !ids.isEmpty else { return }
            let current = state.selectedCall.flatMap { ids.firstIndex(of: $0) } ?? ids.count - 1
            state.selectedCall = ids[step(current, count: ids.count, action, page: 5)]
        case .trace:
            let count = state.trace.visible.count
            guard count > 0 else { return }
            let index = step(state.trace.selected ?? count - 1, count: count, action, page: 10)
            state.trace.selected = action == .bottom ? nil : index
        case .messages:
            let count = state.messages.count
            guard count > 0 else { return }
            state.selectedMessage = step(state.selectedMessage ?? count - 1, count: count, action, page: 10)
        case .contacts:
            let count = state.contacts.count
            guard count > 0 else { return }
            state.selectedContact = step(state.selectedContact ?? 0, count: count, action, page: 10)
        case .account, .registration:
            break
        }
    }

    static func step(_ index: Int, count: Int, _ action: UIAction, page: Int) -> Int {
        let target: Int
        switch action {
        case .up: target = index - 1
        case .down: target = index + 1
        case .top: target = 0
        case .bottom: target = count - 1
        case .pageUp: target = index - page
        case .pageDown: target = index + page
        default: target = index
        }
        return min(max(0, target), count - 1)
    }
}
