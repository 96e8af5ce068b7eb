import SIPUserAgent

/// An apply whose outcome the settings screen waits for. The server can answer before the
/// apply itself returns (the agent re-registers while it applies), so what the server says
/// while the apply runs is kept and replayed once the apply says what it waits for.
public enum SettingsWatch: Sendable, Equatable {
    /// The apply is running; what the server said meanwhile, in order.
    case applying(heard: [ServerNews])
    /// Applied; waiting for the re-register or reconnect to show the values work.
    case waiting(LiveEffect)
}

/// What the server says that tells an apply's outcome.
public enum ServerNews: Sendable, Equatable {
    case connected(socket: String)
    case registered(response: String)
    case registrationFailed(cause: String, statusCode: Int?)
}
