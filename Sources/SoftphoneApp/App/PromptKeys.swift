import Foundation
import TerminalUI

/// Keys while the bottom prompt (command line, dialer, DTMF, message, filter) is open.
enum PromptKeys {
    static func reduce(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard var prompt = state.prompt else { return [] }
        switch key {
        case .escape:
            if prompt.kind == .filter { state.trace.filter = "" }
            state.prompt = nil
            return []
        case .enter:
            let text = prompt.input.submit().trimmingCharacters(in: .whitespaces)
            state.prompt = nil
            return submit(&state, prompt.kind, text)
        case .character(let character): prompt.input.insert(String(character))
        case .backspace:
            if prompt.input.value.isEmpty {
                state.prompt = nil
                return []
            }
            prompt.input.backspace()
        case .delete: prompt.input.delete()
        case .left: prompt.input.left()
        case .right: prompt.input.right()
        case .home, .ctrl("a"): prompt.input.home()
        case .end, .ctrl("e"): prompt.input.end()
        case .up: prompt.input.historyUp()
        case .down: prompt.input.historyDown()
        case .ctrl("u"): prompt.input = TextInput(history: prompt.input.history)
        default: break
        }
        if prompt.kind == .filter {
            state.trace.filter = prompt.input.value
            state.trace.selected = nil
        }
        state.prompt = prompt
        return []
    }

    private static func submit(_ state: inout AppState, _ kind: Prompt.Kind, _ text: String) -> [AppEffect] {
        switch kind {
        case .command:
            guard !text.isEmpty else { return [] }
            remember(&state.commandHistory, text)
            return CommandLine.run(&state, text)
        case .dial:
            guard !text.isEmpty else { return [] }
            remember(&state.dialHistory, text)
            return [.call(target: text)]
        case .transfer(let id):
            guard !text.isEmpty else { return [] }
            return [.refer(id: id, target: text)]
        case .dtmf(let id):
            guard !text.isEmpty else { return [] }
            return [.sendDTMF(id: id, tones: text)]
        case .messageTarget:
            guard !text.isEmpty else { return [] }
            state.prompt = Prompt(kind: .messageBody(peer: text))
            return []
        case .messageBody(let peer):
            guard !text.isEmpty else { return [] }
            state.messages.append(MessageEntry(time: state.now, incoming: false, peer: peer, body: text))
            return [.sendMessage(target: peer, body: text)]
        case .filter:
            state.trace.filter = text
            return []
        }
    }

    private static func remember(_ history: inout [String], _ text: String) {
        if history.last != text { history.append(text) }
        if history.count > 100 { history.removeFirst() }
    }
}
