/// Who this phone is and how it reaches its server, as the Account pane shows it.
public struct AccountState: Sendable, Equatable {
    public var displayName: String?
    public var uri = ""
    public var userAgent = ""
    public var socket: String?
    public var transport: String?
    public var localAddress: String?
    /// Where the registrar sees us, when a NAT maps us elsewhere.
    public var publicAddress: String?
    public var connection = ConnectionState.disconnected(reason: nil)

    public init() {}
}

/// The transport connection's state, from the UA's connecting/connected/disconnected events.
public enum ConnectionState: Sendable, Equatable {
    case disconnected(reason: String?)
    case connecting(attempt: Int)
    case connected
}
