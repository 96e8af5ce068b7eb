/// State the C callbacks reach through the SSL object's app-data slot. A separate object so the
/// pointer can be installed before `DTLSEndpoint.init` finishes; the endpoint keeps it alive.
final class DTLSCallbackState {
    let initialTimeoutMicroseconds: UInt32
    /// The last alert read from the peer, as OpenSSL's info callback encodes it (level << 8 | description).
    var receivedAlert: Int32?

    init(initialTimeoutMicroseconds: UInt32) {
        self.initialTimeoutMicroseconds = initialTimeoutMicroseconds
    }

    /// Exponential back-off (RFC 6347 §4.2.4.1), capped at 60 s.
    func nextTimeout(after previous: UInt32) -> UInt32 {
        previous == 0 ? initialTimeoutMicroseconds : min(previous, 30_000_000) * 2
    }
}
