/// A change of state reported by `DTLSEndpoint`.
public enum DTLSEvent: Sendable, Equatable {
    /// The handshake finished and the peer's certificate matches the SDP fingerprint.
    case connected(SRTPKeys)
    /// The handshake or the association failed; the text says why and starts with "DTLS:".
    case failed(String)
    /// The peer closed the association with close_notify.
    case closed
}

/// What one call on `DTLSEndpoint` produced: datagrams to send to the peer, in order, and at most
/// one state change.
public struct DTLSOutput: Sendable, Equatable {
    public var datagrams: [[UInt8]]
    public var event: DTLSEvent?

    public init(datagrams: [[UInt8]] = [], event: DTLSEvent? = nil) {
        self.datagrams = datagrams
        self.event = event
    }
}
