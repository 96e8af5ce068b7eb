import Foundation
import SIPUserAgent

/// Folds a UA status snapshot in: identity, socket, registration timers and call media.
enum StatusReducer {
    static func reduce(_ state: inout AppState, _ status: UAStatus, at time: Date) {
        let config = status.configuration
        state.account.uri = config["uri"]?.stringValue ?? state.account.uri
        state.account.displayName = config["display_name"]?.stringValue
        state.account.userAgent = config["user_agent"]?.stringValue ?? "sipterm \(SiptermVersion.current)"
        state.account.socket = status.socket ?? state.account.socket
        state.account.transport = status.transport ?? state.account.transport
        state.account.localAddress = status.localAddress
        state.account.publicAddress = status.publicAddress
        if status.connected { state.account.connection = .connected }
        state.bell = config["sipterm.bell"]?.boolValue ?? true
        state.contacts = ContactRow.rows(config["sipterm.contacts"], keeping: state.contacts)
        if state.contacts.isEmpty, state.focus == .contacts { state.focus = .calls }

        var registration = state.registration
        registration.registrar = status.registrar
        registration.expires = status.expires
        registration.refreshAt = status.refreshIn.map { time.addingTimeInterval(TimeInterval($0)) }
        registration.expiresAt = status.expiresIn.map { time.addingTimeInterval(TimeInterval($0)) }
        if status.registered {
            registration.status = .registered
        } else if registration.status == .registered {
            registration.status = .unregistered(cause: nil)
        }
        state.registration = registration

        for info in status.calls {
            guard let index = state.calls.firstIndex(where: { $0.id == info.id }) else { continue }
            state.calls[index].localHold = info.localHold
            state.calls[index].remoteHold = info.remoteHold
            state.calls[index].muted = info.muted
            state.calls[index].codec = info.codec
            state.calls[index].security = info.security
            state.calls[index].media = info.media
        }
    }
}
