import SIPMessage
import SIPTransport

/// What the user agent reports, with JsSIP's event names and payload fields.
public enum UAEvent: Sendable {
    case connecting(socket: String, attempts: Int)
    case connected(socket: String)
    case disconnected(socket: String, error: Bool, code: Int?, reason: String?)
    /// The first successful registration after not being registered.
    case registered(statusCode: Int, reasonPhrase: String, expires: Int)
    case unregistered(statusCode: Int?, reasonPhrase: String?, cause: String?)
    case registrationFailed(cause: String, statusCode: Int?, reasonPhrase: String?)
    /// The registration is about to expire; sipterm refreshes it itself.
    case registrationExpiring
    case newMessage(
        originator: Originator, from: String, to: String, contentType: String?, body: String, statusCode: Int?)
    case newOptions(originator: Originator, from: String)
    /// An out-of-dialog NOTIFY (JsSIP's `sipEvent`): its Event package and body.
    case sipEvent(event: String?, from: String, contentType: String?, body: String)
    case configChanged(parameters: [String], effect: String)
    /// Every SIP message sent and received, when tracing is on (credentials masked).
    case trace(direction: Direction, transport: String, remote: String, text: String)
    /// A call was placed or arrived.
    case newRTCSession(session: String, originator: Originator, remoteIdentity: String, localIdentity: String)
    /// A provisional response sent (originator local) or received (remote).
    case progress(session: String, originator: Originator, statusCode: Int?, reasonPhrase: String?)
    case accepted(session: String, originator: Originator)
    case confirmed(session: String, originator: Originator)
    /// An established call ended.
    case ended(session: String, originator: Originator, cause: String, statusCode: Int?)
    /// A call ended before it was established.
    case failed(session: String, originator: Originator, cause: String, statusCode: Int?, reasonPhrase: String?)
    case hold(session: String, originator: Originator)
    case unhold(session: String, originator: Originator)
    case muted(session: String)
    case unmuted(session: String)
    case newDTMF(session: String, originator: Originator, tone: String, duration: Int)
    case newInfo(session: String, originator: Originator, contentType: String, body: String)
    /// The peer asks sipterm to call `target` (REFER); answer with acceptRefer or rejectRefer.
    case refer(session: String, target: String)
    /// Progress of a REFER sipterm sent: JsSIP's ReferSubscriber event name and the sipfrag status.
    case referStatus(session: String, status: String, statusCode: Int?)
    /// `session` is replaced by `replacedBy` (an INVITE with Replaces).
    case replaces(session: String, replacedBy: String)
    /// The call goes on without sound, and why (e.g. no audio device).
    case mediaNotice(session: String, message: String)
    /// A milestone of the call's media: the DTLS handshake done, the ICE pair chosen.
    case mediaProgress(session: String, message: String)
    /// JsSIP's Subscriber events (RFC 6665) for the subscription `subscriber`: the first 2xx,
    /// the state a NOTIFY reports, a NOTIFY with a body, and the end with JsSIP's code.
    case subscriptionAccepted(subscriber: String)
    case subscriptionPending(subscriber: String)
    case subscriptionActive(subscriber: String)
    case subscriptionNotify(subscriber: String, isFinal: Bool, contentType: String?, body: String)
    case subscriptionTerminated(subscriber: String, code: Int, cause: String, reason: String?, retryAfter: Int?)
    /// An incoming SUBSCRIBE waits for the app: `notify` takes it (JsSIP's `ua.notify`),
    /// `rejectSubscribe` answers it with an error.
    case newSubscribe(
        notifier: String, event: String, from: String, accept: String?, expires: Int?, contentType: String?,
        body: String)
    /// JsSIP's Notifier events: a SUBSCRIBE of the subscription answered, the time run out, the end.
    case notifierSubscribe(notifier: String, isUnsubscribe: Bool, contentType: String?, body: String)
    case notifierExpired(notifier: String)
    case notifierTerminated(notifier: String, code: Int, cause: String)
    /// A voicemail summary (RFC 3842) from a message-summary NOTIFY, subscribed or not; `error`
    /// says why a body could not be read (the subscription stays).
    case messageSummary(summary: MessageSummary?, error: String?, from: String)
    /// A watched contact (`sipterm.contacts`) changed: its presence and busy lamp as last told,
    /// and `problem` when a body could not be read or a subscription ended (it is re-made on the
    /// next registration).
    case contactState(contact: Contact, presence: PresenceStatus?, lamp: BusyLamp.State?, problem: String?)
    /// Our presence was published (`sipterm.publish`): the server's answer and for how long;
    /// `expires` 0 when it was withdrawn.
    case presencePublished(statusCode: Int, expires: Int)
    case presencePublishFailed(cause: String, statusCode: Int?)

    public enum Originator: String, Sendable { case local, remote, system }
    public enum Direction: String, Sendable { case sent, received }

    /// JsSIP's event name.
    public var name: String {
        switch self {
        case .connecting: return "connecting"
        case .connected: return "connected"
        case .disconnected: return "disconnected"
        case .registered: return "registered"
        case .unregistered: return "unregistered"
        case .registrationFailed: return "registrationFailed"
        case .registrationExpiring: return "registrationExpiring"
        case .newMessage: return "newMessage"
        case .newOptions: return "newOptions"
        case .sipEvent: return "sipEvent"
        case .configChanged: return "configChanged"
        case .trace: return "sipTrace"
        case .newRTCSession: return "newRTCSession"
        case .progress: return "progress"
        case .accepted: return "accepted"
        case .confirmed: return "confirmed"
        case .ended: return "ended"
        case .failed: return "failed"
        case .hold: return "hold"
        case .unhold: return "unhold"
        case .muted: return "muted"
        case .unmuted: return "unmuted"
        case .newDTMF: return "newDTMF"
        case .newInfo: return "newInfo"
        case .refer: return "refer"
        case .referStatus: return "referStatus"
        case .replaces: return "replaces"
        case .mediaNotice: return "mediaNotice"
        case .mediaProgress: return "mediaProgress"
        case .subscriptionAccepted: return "accepted"
        case .subscriptionPending: return "pending"
        case .subscriptionActive: return "active"
        case .subscriptionNotify: return "notify"
        case .subscriptionTerminated, .notifierTerminated: return "terminated"
        case .newSubscribe: return "newSubscribe"
        case .notifierSubscribe: return "subscribe"
        case .notifierExpired: return "expired"
        case .messageSummary: return "messageSummary"
        case .contactState: return "contactState"
        case .presencePublished: return "presencePublished"
        case .presencePublishFailed: return "presencePublishFailed"
        }
    }
}

/// JsSIP's failure causes for final responses.
public enum FailureCause {
    public static func cause(for statusCode: Int) -> String {
        switch statusCode {
        case 300, 301, 302, 305, 380: return "Redirected"
        case 486, 600: return "Busy"
        case 403, 603: return "Rejected"
        case 404, 604: return "Not Found"
        case 480, 410, 408, 430: return "Unavailable"
        case 484, 424: return "Address Incomplete"
        case 488, 606: return "Incompatible SDP"
        case 401, 407: return "Authentication Error"
        default: return "SIP Failure Code"
        }
    }

    public static let requestTimeout = "Request Timeout"
    public static let connectionError = "Connection Error"
    public static let missingContact = "Missing Contact"
    public static let terminated = "Terminated"
    public static let canceled = "Canceled"
    public static let noAnswer = "No Answer"
    public static let expires = "Expires"
    public static let noAck = "No ACK"
    public static let dialogError = "Dialog Error"
    public static let rejected = "Rejected"
    public static let missingSDP = "Missing SDP"
    public static let badMediaDescription = "Bad Media Description"
    public static let incompatibleSDP = "Incompatible SDP"
    public static let internalError = "Internal Error"
    /// sipterm's own: the DTLS-SRTP handshake failed or the peer's certificate was not the
    /// one its SDP named (the Reason text says which).
    public static let dtlsFailure = "DTLS Failure"
    /// sipterm's own: no ICE candidate pair worked, or consent was lost (JsSIP says RTP Timeout).
    public static let iceFailure = "ICE Failure"
}
