/// Which side of the DTLS handshake we take, from the SDP `a=setup` negotiation (RFC 5763 §5):
/// `active` sends the ClientHello, `passive` waits for it.
public enum DTLSRole: Sendable, Equatable {
    /// `a=setup:active`: we are the DTLS client.
    case client
    /// `a=setup:passive`: we are the DTLS server.
    case server
}
