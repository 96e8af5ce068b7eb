import Foundation
import SIPUserAgent

/// The call events' part of the reducer: rows appear, change phase, and end.
enum CallEvents {
    static func new(_ state: inout AppState, id: String, incoming: Bool, remote: String, at time: Date) -> [AppEffect] {
        let used = Set(state.activeCalls.map(\.line))
        let line = (1...).first { !used.contains($0) } ?? 1
        state.calls.append(CallRow(id: id, line: line, incoming: incoming, remote: remote, createdAt: time))
        state.selectedCall = id
        guard incoming else { return [] }
        switch state.overlay {
        case nil, .help?, .rawMessage?:
            state.overlay = .incomingCall(id: id, button: 0)
        default:
            state.notice = Notice(text: "incoming call from \(remote) on line \(line)", isError: false, time: time)
        }
        return state.bell ? [.bell] : []
    }

    static func reduce(_ state: inout AppState, _ event: UAEvent, at time: Date) {
        switch event {
        case .progress(let id, let originator, let code, let reason):
            update(&state, id) { row in
                if originator == .remote, let code {
                    row.progress = "\(code) \(reason ?? "")".trimmingCharacters(in: .whitespaces)
                    if (180..<190).contains(code) { row.phase = .ringing }
                }
            }
        case .accepted(let id, _):
            update(&state, id) { $0.phase = .answered }
            dismiss(&state, id)
        case .confirmed(let id, _):
            update(&state, id) { row in
                row.phase = .active
                row.confirmedAt = row.confirmedAt ?? time
            }
            dismiss(&state, id)
        case .ended(let id, _, let cause, _):
            end(&state, id, cause: cause, at: time)
        case .failed(let id, _, let cause, let code, let reason):
            var text = cause
            if let code { text += " (\(code)\(reason.map { " " + $0 } ?? ""))" }
            end(&state, id, cause: text, at: time)
        case .hold(let id, let originator):
            update(&state, id) { if originator == .remote { $0.remoteHold = true } else { $0.localHold = true } }
        case .unhold(let id, let originator):
            update(&state, id) { if originator == .remote { $0.remoteHold = false } else { $0.localHold = false } }
        case .muted(let id):
            update(&state, id) { $0.muted = true }
        case .unmuted(let id):
            update(&state, id) { $0.muted = false }
        case .newDTMF(let id, let originator, let tone, _) where originator == .remote:
            note(&state, id, "DTMF \(tone) received", at: time)
        case .newInfo(let id, let originator, let contentType, _) where originator == .remote:
            note(&state, id, "INFO (\(contentType)) received", at: time)
        case .refer(let id, let target):
            update(&state, id) { $0.referTarget = target }
            if state.overlay == nil || state.overlay.map(isPassive) == true {
                state.overlay = .referRequest(id: id, target: target, button: 0)
            }
        case .referStatus(let id, let status, let code):
            note(&state, id, "transfer \(status)\(code.map { " (\($0))" } ?? "")", at: time)
        case .replaces(let id, _):
            note(&state, id, "replaced by a new call", at: time)
        case .mediaNotice(let id, let message):
            update(&state, id) { $0.notice = message }
            note(&state, id, message, at: time)
        case .mediaProgress(let id, let message):
            note(&state, id, message, at: time)
        default:
            break
        }
    }

    private static func isPassive(_ overlay: Overlay) -> Bool {
        switch overlay {
        case .help, .rawMessage: return true
        default: return false
        }
    }

    private static func update(_ state: inout AppState, _ id: String, _ change: (inout CallRow) -> Void) {
        guard let index = state.calls.firstIndex(where: { $0.id == id }) else { return }
        change(&state.calls[index])
    }

    private static func note(_ state: inout AppState, _ id: String, _ text: String, at time: Date) {
        let line = state.calls.first { $0.id == id }.map { "line \($0.line): " } ?? ""
        state.notice = Notice(text: line + text, isError: false, time: time)
    }

    /// Closes the overlays that were about this call.
    private static func dismiss(_ state: inout AppState, _ id: String) {
        switch state.overlay {
        case .incomingCall(let callID, _)? where callID == id: state.overlay = nil
        case .referRequest(let callID, _, _)? where callID == id: state.overlay = nil
        default: break
        }
    }

    private static func end(_ state: inout AppState, _ id: String, cause: String, at time: Date) {
        update(&state, id) { row in
            row.phase = .ended(cause: cause)
            row.endedAt = time
            row.referTarget = nil
        }
        dismiss(&state, id)
        if case .confirmQuit? = state.overlay, state.activeCalls.isEmpty { state.overlay = nil }
        let ended = state.calls.filter(\.phase.isEnded)
        if ended.count > AppState.endedCallsKept, let oldest = ended.first {
            state.calls.removeAll { $0.id == oldest.id }
        }
        if state.selectedCall == id, let live = state.activeCalls.last { state.selectedCall = live.id }
    }
}
