import SIPMessage

/// RFC 3261 §17 timer base values. Tests shorten them; a UA uses the defaults.
public struct TransactionTimers: Sendable, Equatable {
    /// Round-trip estimate (500 ms).
    public var t1: Duration
    /// Longest retransmit interval for non-INVITE requests and INVITE responses (4 s).
    public var t2: Duration
    /// How long a message may stay in the network (5 s).
    public var t4: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    /// Timers B, F, H and J: 64·T1.
    public var transactionTimeout: Duration { t1 * 64 }
}

/// How a client transaction ended.
public enum ClientOutcome: Sendable {
    case response(SIPResponse)
    /// Timer B or F fired: no final response (a UA reports 408 Request Timeout).
    case timeout
    /// The request could not be sent.
    case transportError(String)
    /// The server refused the credentials sent (a 403 right after a digest answer).
    case authenticationFailed(SIPResponse)

    public var response: SIPResponse? {
        switch self {
        case .response(let response), .authenticationFailed(let response): return response
        default: return nil
        }
    }
}

/// The transport as the transaction layer sees it, so the state machines can be tested alone.
public protocol MessageSender: Sendable {
    /// Sends to the server, or to `destination` (the source of a request being answered).
    func send(_ bytes: [UInt8], to destination: Destination?) async throws
    /// True for TCP, TLS and WebSocket: no retransmissions (RFC 3261 §17.1.1.2).
    func isReliable() async -> Bool
}

/// Where a response goes: the address and port its request came from.
public struct Destination: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
