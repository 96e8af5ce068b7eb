import SIPMessage
import SIPTransport

/// One subscription to sipterm (RFC 6665), JsSIP's Notifier: created by the app for an incoming
/// SUBSCRIBE (`newSubscribe`), it answers the SUBSCRIBEs of its dialog and sends the NOTIFYs.
final class Notifier {
    enum State: String { case pending, active, terminated }

    /// JsSIP's termination codes (`Notifier.C`).
    enum Termination: Int, Sendable {
        case notifyResponseTimeout = 0
        case notifyTransportError = 1
        case notifyNonOkResponse = 2
        case notifyAuthenticationFailed = 3
        case finalNotifySent = 4
        case unsubscribeReceived = 5
        case subscriptionExpired = 6

        /// JsSIP's constant name, e.g. FINAL_NOTIFY_RECEIVED.
        var name: String { JsSIPConstantName.of(self) }
    }

    let id: String
    /// The SUBSCRIBE that created it, answered by `start`.
    let initial: SIPRequest
    let source: Destination?
    let contentType: String
    /// Event (as the SUBSCRIBE wrote it), Allow-Events and the app's extra headers, on every NOTIFY.
    let headers: [HeaderField]
    let defaultExpires: Int
    let localTag: String
    var state: State
    var dialog: Dialog?
    var expires = 0
    var expiresAt: ContinuousClock.Instant?
    var expiry: Task<Void, Never>?
    /// Set when an un-SUBSCRIBE or the expiry waits for the app's final NOTIFY.
    var closing: Task<Void, Never>?
    /// The package sipterm serves itself (`presence`, `dialog`): the phone's own state, sent
    /// without the app; nil for a notifier the app runs.
    var servedPackage: String?
    /// The dialog-info `version`, one more with every NOTIFY (RFC 4235 §4.1).
    var version = 0
    /// The NOTIFY last sent; the next one goes once it is answered.
    var lastNotify: Task<Void, Never>?

    init(
        id: String, subscribe: SIPRequest, source: Destination?, contentType: String, pending: Bool,
        allowEvents: String?, extraHeaders: [HeaderField], defaultExpires: Int?
    ) {
        self.id = id
        self.initial = subscribe
        self.source = source
        self.contentType = contentType
        self.state = pending ? .pending : .active
        self.defaultExpires = defaultExpires.flatMap { $0 > 0 ? $0 : nil } ?? Subscriber.defaultExpires
        var headers = extraHeaders
        headers.append(HeaderField(.init(.event), subscribe.headers[.init(.event)].map(String.init) ?? ""))
        if let allowEvents { headers.append(HeaderField(.init(.allowEvents), allowEvents)) }
        self.headers = headers
        self.localTag = RandomTokens.tag()
    }

    /// JsSIP's check of a SUBSCRIBE a Notifier may take: a Contact, an Event, and an Expires
    /// that is a whole number ≥ 0 when present. Nil when it passes.
    static func problem(with request: SIPRequest) -> String? {
        guard request.method == .subscribe else { return "not a SUBSCRIBE" }
        guard (try? request.contacts.first) != nil else { return "no Contact" }
        guard let event = request.headers[.init(.event)], (try? EventValue(parsing: event)) != nil else {
            return "no valid Event"
        }
        if let expires = request.headers[.init(.expires)] {
            guard let value = Int(String(expires).trimmingWhitespace), value >= 0 else { return "invalid Expires" }
        }
        return nil
    }

    /// Seconds the subscription has left (0 when it has run out).
    var remaining: Int {
        guard let expiresAt else { return 0 }
        let left = expiresAt - .now
        return max(Int(left.components.seconds), 0)
    }
}
