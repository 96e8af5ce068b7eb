import Foundation
import SIPUserAgent

/// Folds one UA event into the state.
enum EventReducer {
    static func reduce(_ state: inout AppState, _ event: UAEvent, at time: Date) -> [AppEffect] {
        switch event {
        case .connecting(let socket, let attempts):
            state.account.socket = socket
            state.account.connection = .connecting(attempt: attempts)
            if state.registration.status != .registered {
                state.registration.status = .connecting(attempt: attempts)
            }
        case .connected(let socket):
            SettingsReducer.hear(&state, .connected(socket: socket))
            state.account.socket = socket
            state.account.connection = .connected
            if case .connecting = state.registration.status { state.registration.status = .unregistered(cause: nil) }
        case .disconnected(_, let error, let code, let reason):
            var text = reason ?? (error ? "connection error" : "closed")
            if let code { text += " (\(code))" }
            state.account.connection = .disconnected(reason: text)
        case .registered(_, _, let expires):
            state.registration.status = .registered
            state.registration.expires = expires
        case .unregistered(_, _, let cause):
            state.registration.status = .unregistered(cause: cause)
            state.registration.refreshAt = nil
            state.registration.expiresAt = nil
        case .registrationFailed(let cause, let statusCode, _):
            SettingsReducer.hear(&state, .registrationFailed(cause: cause, statusCode: statusCode))
            state.registration.status = .failed(cause: cause, statusCode: statusCode)
            state.registration.refreshAt = nil
            state.registration.expiresAt = nil
            if statusCode == nil {
                state.registration.record(RegistrationAttempt(time: time, statusCode: nil, reason: cause))
            }
        case .trace(let direction, let transport, let remote, let text):
            trace(
                &state,
                TraceEntry(time: time, sent: direction == .sent, transport: transport, remote: remote, text: text))
        case .newMessage(let originator, let from, let to, _, let body, let statusCode):
            if originator == .local,
                let index = state.messages.lastIndex(where: { !$0.incoming && $0.statusCode == nil && $0.body == body })
            {
                state.messages[index].statusCode = statusCode
            } else {
                let incoming = originator == .remote
                state.messages.append(
                    MessageEntry(
                        time: time, incoming: incoming, peer: incoming ? from : to, body: body, statusCode: statusCode))
                if state.messages.count > 500 { state.messages.removeFirst(state.messages.count - 500) }
            }
        case .contactState(let contact, let presence, let lamp, let problem):
            var row = state.contacts.first { $0.uri == contact.uri } ?? ContactRow(uri: contact.uri, name: contact.name)
            row.presence = presence?.summary
            row.note = presence?.note
            row.lamp = lamp
            row.problem = problem
            if let index = state.contacts.firstIndex(where: { $0.uri == contact.uri }) {
                state.contacts[index] = row
            } else {
                state.contacts.append(row)
            }
        case .newRTCSession(let id, let originator, let remote, _):
            return CallEvents.new(&state, id: id, incoming: originator == .remote, remote: remote, at: time)
        case .configChanged(let parameters, let effect):
            state.notice = Notice(
                text: "changed \(parameters.joined(separator: ", ")) (\(effect))", isError: false, time: time)
        case .sipEvent(let name, let from, _, _):
            state.notice = Notice(text: "NOTIFY \(name ?? "") from \(from)", isError: false, time: time)
        case .messageSummary(let summary, let error, _):
            if let summary { state.voicemail = summary }
            if let error { state.notice = Notice(text: error, isError: true, time: time) }
        case .registrationExpiring, .newOptions:
            break
        default:
            CallEvents.reduce(&state, event, at: time)
        }
        return []
    }

    private static func trace(_ state: inout AppState, _ entry: TraceEntry) {
        state.trace.append(entry)
        guard entry.cseqMethod == "REGISTER" else { return }
        if entry.isRequest, entry.sent, state.registration.status != .registered {
            state.registration.status = .registering
        } else if !entry.isRequest, !entry.sent, let code = entry.statusCode, code >= 200 {
            let reason = String(entry.summary.dropFirst(4))
            state.registration.record(RegistrationAttempt(time: entry.time, statusCode: code, reason: reason))
            if (200..<300).contains(code) { SettingsReducer.hear(&state, .registered(response: "\(code) \(reason)")) }
        }
    }
}
