import SIPMessage

/// Connection state changes, with JsSIP's event names and payloads.
public enum TransportEvent: Sendable, Equatable {
    /// A connection attempt starts; `attempts` counts recovery attempts since the last success.
    case connecting(socket: SocketURL, attempts: Int)
    case connected(socket: SocketURL)
    /// The connection ended or could not be made. `error` is false only for a user disconnect.
    case disconnected(socket: SocketURL, error: Bool, code: Int?, reason: String?)
    /// sipterm's own: the next attempt is scheduled after `delay` seconds (attempt n of JsSIP's formula).
    case recoveryScheduled(attempt: Int, delay: Int)
}

/// A SIP message as it arrived, with where it came from.
public struct ReceivedMessage: Sendable {
    public var message: SIPMessage
    /// The raw bytes, for traces.
    public var bytes: [UInt8]
    public var transport: TransportKind
    public var remoteHost: String
    public var remotePort: Int
}

/// What a connection reports upward.
public enum ConnectionEvent: Sendable {
    case message(ReceivedMessage)
    /// Bytes that are not a valid SIP message (a UAS answers 400 when it can tell what they were).
    case malformed(bytes: [UInt8], reason: String)
    /// A keep-alive answer arrived (CRLF pong or WebSocket pong).
    case pong
    case closed(TransportError?)
}

/// Why a connection failed or a send did not go out, in words a person can act on.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// True when the failure is the server certificate not being trusted.
    public var isCertificateFailure: Bool

    public init(_ reason: String, certificate: Bool = false) {
        self.reason = reason
        self.isCertificateFailure = certificate
    }

    public var description: String { reason }
}
