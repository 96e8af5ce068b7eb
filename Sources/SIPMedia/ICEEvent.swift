import NIOCore

/// What an `ICEAgent` reports: the pair media now flows on, or why none can.
public enum ICEEvent: Sendable, Equatable {
    /// Checks (and nomination) chose this pair: `local` is our candidate as the peer saw it
    /// (prflx when a NAT mapped it), `remote` the peer's, `base` the index of our socket.
    case selected(local: ICECandidate, remote: ICECandidate, base: Int)
    /// No pair works, or consent was lost (RFC 7675); the text starts with "ICE:".
    case failed(String)
}

/// What one call on `ICEAgent` produced: STUN datagrams to send (each from the socket of
/// local candidate `from`), and events.
struct ICEOutput {
    var datagrams: [(bytes: [UInt8], to: SocketAddress, from: Int)] = []
    var events: [ICEEvent] = []
}
