/// The endpoint's life cycle.
public enum DTLSState: Sendable, Equatable {
    case idle
    case handshaking
    case connected
    case failed(String)
    case closed
}
