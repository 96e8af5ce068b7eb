import Foundation

/// The `:` command line. Its verbs are the headless agent's commands (with a few short aliases),
/// so every key is only a shortcut for something that can be typed.
enum CommandLine {
    /// Each verb and what it takes, for `:help` and errors.
    static let verbs: [(name: String, usage: String)] = [
        ("call", "call TARGET"), ("answer", "answer [LINE]"), ("terminate", "terminate [LINE] (or hangup)"),
        ("hold", "hold [LINE]"), ("unhold", "unhold [LINE]"), ("mute", "mute [LINE]"), ("unmute", "unmute [LINE]"),
        ("sendDTMF", "sendDTMF TONES (or dtmf)"), ("refer", "refer TARGET (or transfer)"),
        ("sendMessage", "sendMessage TARGET TEXT (or message)"), ("sendOptions", "sendOptions [TARGET]"),
        ("register", "register"), ("unregister", "unregister"), ("set", "set NAME VALUE"), ("get", "get NAME"),
        ("presence", "presence available|away|busy"),
        ("save", "save"), ("settings", "settings"), ("theme", "theme NAME|PATH"), ("filter", "filter [TEXT]"),
        ("help", "help"), ("quit", "quit (quit! with calls up)"),
    ]

    static let aliases = [
        "hangup": "terminate", "bye": "terminate", "dtmf": "sendDTMF", "transfer": "refer", "message": "sendMessage",
        "msg": "sendMessage", "options": "sendOptions", "q": "quit", "dial": "call",
    ]

    static func run(_ state: inout AppState, _ text: String) -> [AppEffect] {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !words.isEmpty else { return [] }
        let typed = words.removeFirst()
        let verb = aliases[typed] ?? typed
        let rest = text.drop { $0 == " " }.dropFirst(typed.count).trimmingCharacters(in: .whitespaces)
        switch verb {
        case "call":
            guard !rest.isEmpty else { return usage(&state, verb) }
            return [.call(target: rest)]
        case "answer":
            guard let call = call(&state, words.first, where: \.isAwaitingAnswer) else { return [] }
            return [.answer(id: call.id)]
        case "terminate":
            guard let call = call(&state, words.first, where: { !$0.phase.isEnded }) else { return [] }
            return [.terminate(id: call.id, statusCode: nil, reasonPhrase: nil)]
        case "hold", "unhold", "mute", "unmute":
            guard let call = call(&state, words.first, where: \.isEstablished) else { return [] }
            switch verb {
            case "hold": return [.hold(id: call.id)]
            case "unhold": return [.unhold(id: call.id)]
            case "mute": return [.mute(id: call.id)]
            default: return [.unmute(id: call.id)]
            }
        case "sendDTMF":
            guard let tones = words.first else { return usage(&state, verb) }
            guard let call = call(&state, words.dropFirst().first, where: \.isEstablished) else { return [] }
            return [.sendDTMF(id: call.id, tones: tones)]
        case "refer":
            guard let target = words.first else { return usage(&state, verb) }
            guard let call = call(&state, nil, where: \.isEstablished) else { return [] }
            return [.refer(id: call.id, target: target)]
        case "sendMessage":
            guard words.count >= 2 else { return usage(&state, verb) }
            let body = rest.dropFirst(words[0].count).trimmingCharacters(in: .whitespaces)
            state.messages.append(MessageEntry(time: state.now, incoming: false, peer: words[0], body: body))
            return [.sendMessage(target: words[0], body: body)]
        case "sendOptions": return [.sendOptions(target: words.first)]
        case "register": return [.register]
        case "unregister": return [.unregister]
        case "set":
            guard let name = words.first else { return usage(&state, verb) }
            return [.set(name: name, value: rest.dropFirst(name.count).trimmingCharacters(in: .whitespaces))]
        case "presence":
            guard let word = words.first, ["available", "away", "busy"].contains(word.lowercased()) else {
                return usage(&state, verb)
            }
            return [.set(name: "sipterm.presence", value: word.lowercased())]
        case "get":
            guard let name = words.first else { return usage(&state, verb) }
            return [.get(name: name)]
        case "save": return [.save]
        case "settings": return [.openSettings]
        case "theme":
            guard !rest.isEmpty else { return usage(&state, verb) }
            return [.theme(rest)]
        case "filter":
            state.trace.filter = rest
            state.focus = .trace
            return []
        case "help":
            state.overlay = .help(state.focus)
            return []
        case "quit":
            return KeyReducer.perform(&state, .quit)
        case "quit!":
            return [.quit]
        default:
            state.notice = Notice(
                text: "unknown command '\(typed)' (F1 lists the commands)", isError: true, time: state.now)
            return []
        }
    }

    private static func usage(_ state: inout AppState, _ verb: String) -> [AppEffect] {
        let text = verbs.first { $0.name == verb }?.usage ?? verb
        state.notice = Notice(text: "usage: :\(text)", isError: true, time: state.now)
        return []
    }

    /// The call a command means: line LINE, else the current call if it fits, else the newest that fits.
    private static func call(_ state: inout AppState, _ line: String?, where fits: (CallRow) -> Bool) -> CallRow? {
        if let line {
            guard let number = Int(line), let call = state.calls.first(where: { $0.line == number && fits($0) }) else {
                state.notice = Notice(text: "no such call on line \(line)", isError: true, time: state.now)
                return nil
            }
            return call
        }
        if let call = state.currentCall, fits(call) { return call }
        if let call = state.calls.last(where: fits) { return call }
        state.notice = Notice(text: "no call for that", isError: true, time: state.now)
        return nil
    }
}
