import Foundation

/// One call as the Calls pane shows it; kept a while after it ends so its outcome can be read.
public struct CallRow: Sendable, Equatable {
    public var id: String
    /// The line number (1, 2 …): the lowest free one when the call appeared.
    public var line: Int
    public var incoming: Bool
    public var remote: String
    public var phase: Phase
    /// The last provisional response, e.g. "180 Ringing".
    public var progress: String?
    public var createdAt: Date
    public var confirmedAt: Date?
    public var endedAt: Date?
    public var localHold = false
    public var remoteHold = false
    public var muted = false
    public var codec: String?
    /// `SRTP (SDES …)` or `plain` once the media is negotiated.
    public var security: String?
    public var media: [String: Double] = [:]
    /// A transfer the peer asked for (REFER), waiting for accept or reject.
    public var referTarget: String?
    public var notice: String?

    public enum Phase: Sendable, Equatable {
        case calling, ringing, answered, active
        case ended(cause: String)

        public var isEnded: Bool { if case .ended = self { return true } else { return false } }
    }

    public init(id: String, line: Int, incoming: Bool, remote: String, createdAt: Date) {
        self.id = id
        self.line = line
        self.incoming = incoming
        self.remote = remote
        self.createdAt = createdAt
        self.phase = incoming ? .ringing : .calling
    }

    public var isEstablished: Bool { phase == .answered || phase == .active }
    /// Ringing in, waiting for the user to answer.
    public var isAwaitingAnswer: Bool { incoming && phase == .ringing }

    /// The state word shown in the row.
    public var stateText: String {
        switch phase {
        case .calling: return progress ?? "calling"
        case .ringing: return incoming ? "ringing" : "ringing"
        case .answered: return "answered"
        case .active:
            if localHold && remoteHold { return "held (both)" }
            if localHold { return "on hold" }
            if remoteHold { return "held by peer" }
            return "active"
        case .ended(let cause): return "ended: \(cause)"
        }
    }
}
