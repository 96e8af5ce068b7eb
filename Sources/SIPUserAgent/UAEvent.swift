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

    public enum Originator: String, Sendable { case local, remote }
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
}
