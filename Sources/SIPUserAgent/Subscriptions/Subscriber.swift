import SIPMessage

/// One subscription sipterm makes (RFC 6665), JsSIP's Subscriber: its SUBSCRIBE headers, the
/// dialog the 2xx or first NOTIFY creates, the state the NOTIFYs report and the refresh timer.
final class Subscriber {
    /// JsSIP's Subscriber states.
    enum State: String {
        case initial = "init"
        case notifyWait = "notify_wait"
        case pending, active, terminated
    }

    /// JsSIP's termination codes (`Subscriber.C`).
    enum Termination: Int, Sendable {
        case subscribeResponseTimeout = 0
        case subscribeTransportError = 1
        case subscribeNonOkResponse = 2
        case subscribeWrongOkResponse = 3
        case subscribeAuthenticationFailed = 4
        case unsubscribeTimeout = 5
        case finalNotifyReceived = 6
        case wrongNotifyReceived = 7

        /// JsSIP's constant name, e.g. FINAL_NOTIFY_RECEIVED.
        var name: String { JsSIPConstantName.of(self) }
    }

    /// RFC 6665 §3.1.1: the duration asked for when none is given, and assumed when a 2xx has none.
    static let defaultExpires = 900

    let id: String
    let target: SIPURI
    let event: EventValue
    let expires: Int
    let contentType: String?
    /// Event, Expires, Accept, Allow-Events and the caller's extra headers, on every SUBSCRIBE.
    let headers: [HeaderField]
    let callID: String
    let fromTag: String
    var cseq: UInt32
    var state: State = .initial
    var dialog: Dialog?
    /// The 2xx to the first SUBSCRIBE was reported (`accepted`).
    var accepted = false
    /// terminate() was called: the un-SUBSCRIBE went or waits for the dialog.
    var unsubscribing = false
    var refresh: Task<Void, Never>?
    var expiresAt: ContinuousClock.Instant?
    /// SUBSCRIBEs asked for before any dialog existed, sent once it does.
    var queued: [(body: String?, headers: [HeaderField])] = []

    init(
        id: String, target: SIPURI, event: EventValue, accept: String, expires: Int?, contentType: String?,
        allowEvents: String?, extraHeaders: [HeaderField]
    ) {
        self.id = id
        self.target = target
        self.event = event
        self.expires = expires.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultExpires
        self.contentType = contentType
        var headers = extraHeaders
        headers.append(HeaderField(.init(.event), event.description))
        headers.append(HeaderField(.init(.expires), String(self.expires)))
        headers.append(HeaderField(.init(.accept), accept))
        if let allowEvents { headers.append(HeaderField(.init(.allowEvents), allowEvents)) }
        self.headers = headers
        self.callID = RandomTokens.token(20)
        self.fromTag = RandomTokens.tag()
        self.cseq = UInt32.random(in: 1...10000)
    }

    /// JsSIP's refresh point: halfway plus a random share of the rest less 70 s for long
    /// subscriptions, 5 s before the end for short ones.
    static func refreshDelay(expires: Int) -> Duration {
        guard expires >= 140 else { return .seconds(max(expires - 5, 1)) }
        let half = Double(expires) / 2
        return .seconds(half + Double.random(in: 0..<1) * (half - 70))
    }
}
