import Foundation

/// The registration as the Registration pane shows it: state, timers as deadlines (drawn as live
/// countdowns) and a short history of attempts.
public struct RegistrationState: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// Not registered and not trying (register = false, or after unregistering).
        case unregistered(cause: String?)
        case connecting(attempt: Int)
        case registering
        case registered
        case failed(cause: String, statusCode: Int?)
    }

    public var status = Status.unregistered(cause: nil)
    public var registrar = ""
    public var expires: Int?
    public var refreshAt: Date?
    public var expiresAt: Date?
    /// Final outcomes of REGISTER transactions, oldest first, at most `historyLimit`.
    public var history: [RegistrationAttempt] = []
    public static let historyLimit = 32

    public init() {}

    mutating func record(_ attempt: RegistrationAttempt) {
        history.append(attempt)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }
}

/// One REGISTER outcome: a final status code, or none when it timed out or the transport failed.
public struct RegistrationAttempt: Sendable, Equatable {
    public var time: Date
    public var statusCode: Int?
    public var reason: String

    public init(time: Date, statusCode: Int?, reason: String) {
        self.time = time
        self.statusCode = statusCode
        self.reason = reason
    }

    /// 2xx: registered; 401/407: a challenge (normal, answered at once); anything else failed.
    public var kind: Kind {
        guard let statusCode else { return .failed }
        if (200..<300).contains(statusCode) { return .success }
        if statusCode == 401 || statusCode == 407 { return .challenge }
        return .failed
    }

    public enum Kind: Sendable { case success, challenge, failed }
}
