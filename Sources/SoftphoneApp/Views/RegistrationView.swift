import Foundation
import TerminalUI

/// The Registration pane: state, live countdowns to refresh and expiry, the registrar, and the
/// recent attempts as a strip of marks (✓ registered, · challenged, ✗ failed) with the last one spelled out.
enum RegistrationView {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let fields = Fields(labelWidth: 10, theme: theme)
        let registration = state.registration
        let (text, role) = status(registration)
        fields.row(&buffer, area, 0, "State", text, style: theme[role])
        fields.row(&buffer, area, 1, "Registrar", registration.registrar)
        var timers = "—"
        if let refresh = registration.refreshAt {
            timers = "refresh " + TimeText.duration(refresh.timeIntervalSince(state.now))
            if let expiry = registration.expiresAt {
                timers += " · expiry " + TimeText.duration(expiry.timeIntervalSince(state.now))
            }
        } else if let expiry = registration.expiresAt {
            timers = "expiry " + TimeText.duration(expiry.timeIntervalSince(state.now))
        }
        fields.row(&buffer, area, 2, "Timers", timers)
        history(registration.history, fields: fields, theme: theme, into: &buffer, area: area)
        if let last = registration.history.last {
            let code = last.statusCode.map { "\($0) " } ?? ""
            fields.row(&buffer, area, 4, "Last", TimeText.clock(last.time) + "  " + code + last.reason)
        }
    }

    static func status(_ registration: RegistrationState) -> (String, Role) {
        switch registration.status {
        case .registered:
            return ("● registered" + (registration.expires.map { " (expires \($0) s)" } ?? ""), .registered)
        case .registering: return ("◌ registering…", .connecting)
        case .connecting(let attempt): return ("◌ connecting (attempt \(attempt))", .connecting)
        case .unregistered(let cause): return ("○ unregistered" + (cause.map { ": \($0)" } ?? ""), .unregistered)
        case .failed(let cause, let code):
            return ("✗ failed: \(cause)" + (code.map { " (\($0))" } ?? ""), .registrationFailed)
        }
    }

    private static func history(
        _ attempts: [RegistrationAttempt], fields: Fields, theme: Theme, into buffer: inout CellBuffer, area: Rect
    ) {
        guard area.height > 3 else { return }
        buffer.put("History", at: area.x, y: area.y + 3, style: theme[.dimText], maxWidth: area.width)
        let x = area.x + fields.labelWidth
        let room = area.maxX - x
        guard room > 0 else { return }
        guard !attempts.isEmpty else {
            buffer.put("no attempts yet", at: x, y: area.y + 3, style: theme[.dimText], maxWidth: room)
            return
        }
        for (n, attempt) in attempts.suffix(room).enumerated() {
            let (mark, role): (String, Role)
            switch attempt.kind {
            case .success: (mark, role) = ("✓", .registered)
            case .challenge: (mark, role) = ("·", .dimText)
            case .failed: (mark, role) = ("✗", .registrationFailed)
            }
            buffer.put(mark, at: x + n, y: area.y + 3, style: theme[role])
        }
    }
}
