/// State the C callbacks reach through the SSL object's app-data slot. A separate object so the
/// pointer can be installed before `DTLSEndpoint.init` finishes; the endpoint keeps it alive.
final class DTLSCallbackState {
    let initialTimeoutMicroseconds: UInt32
    /// The last alert read from the peer, as OpenSSL's info callback encodes it (level << 8 | description).
    var receivedAlert: Int32?
    /// The certificate the peer must present (its SDP's a=fingerprint), checked while the
    /// handshake runs so that a wrong one ends it before either side derives keys.
    let expectedFingerprint: DTLSFingerprint
    /// Set when the peer's certificate did not match: the failure then says so.
    var fingerprintMismatch = false

    init(initialTimeoutMicroseconds: UInt32, expectedFingerprint: DTLSFingerprint) {
        self.initialTimeoutMicroseconds = initialTimeoutMicroseconds
        self.expectedFingerprint = expectedFingerprint
    }

    /// Whether a certificate the peer presented is the one its SDP named.
    func accepts(peerCertificate x509: OpaquePointer) -> Bool {
        let matches =
            DTLSFingerprint.of(x509: x509, hashFunction: expectedFingerprint.hashFunction) == expectedFingerprint
        if !matches { fingerprintMismatch = true }
        return matches
    }

    /// Exponential back-off (RFC 6347 §4.2.4.1), capped at 60 s.
    func nextTimeout(after previous: UInt32) -> UInt32 {
        previous == 0 ? initialTimeoutMicroseconds : min(previous, 30_000_000) * 2
    }
}
