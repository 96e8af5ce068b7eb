import SIPUserAgent

/// The groups of the settings form, in screen order. Which parameter goes where is the only
/// per-parameter knowledge the form adds to `Parameters.all`.
public enum SettingsSection: Int, CaseIterable, Sendable, Comparable {
    case account
    case authentication
    case registration
    case calls
    case connection
    case media
    case interface

    public static func < (lhs: SettingsSection, rhs: SettingsSection) -> Bool { lhs.rawValue < rhs.rawValue }

    public var title: String {
        switch self {
        case .account: return "Account"
        case .authentication: return "Authentication"
        case .registration: return "Registration"
        case .calls: return "Calls & session timers"
        case .connection: return "Connection"
        case .media: return "Media"
        case .interface: return "Interface"
        }
    }

    /// A short title for the tab strip on narrow screens.
    public var shortTitle: String {
        switch self {
        case .account: return "Account"
        case .authentication: return "Auth"
        case .registration: return "Register"
        case .calls: return "Calls"
        case .connection: return "Connection"
        case .media: return "Media"
        case .interface: return "UI"
        }
    }

    /// The section of a parameter; nil for a name this table does not place (a test keeps that empty).
    public static func of(_ name: String) -> SettingsSection? { placement[name] }

    private static let placement: [String: SettingsSection] = [
        "uri": .account, "display_name": .account, "contact_uri": .account, "instance_id": .account,
        "user_agent": .account,
        "authorization_user": .authentication, "password": .authentication, "realm": .authentication,
        "ha1": .authentication, "authorization_jwt": .authentication, "sipterm.store_ha1": .authentication,
        "register": .registration, "register_expires": .registration, "register_from_tag_trail": .registration,
        "registrar_server": .registration, "extra_headers": .registration,
        "no_answer_timeout": .calls, "session_timers": .calls, "session_timers_refresh_method": .calls,
        "session_timers_force_refresher": .calls, "use_preloaded_route": .calls, "sipterm.auto_answer": .calls,
        "sipterm.dnd": .calls, "sipterm.mwi": .registration,
        "sipterm.serve_state": .calls, "sipterm.contacts": .calls, "sipterm.publish": .calls,
        "sipterm.presence": .calls, "sipterm.dtmf_transport": .calls,
        "sockets": .connection, "connection_recovery_min_interval": .connection,
        "connection_recovery_max_interval": .connection, "sipterm.keepalive_interval": .connection,
        "sipterm.keepalive_websocket": .connection, "sipterm.tls_ca_file": .connection,
        "sipterm.dns_servers": .connection,
        "sipterm.audio_input": .media, "sipterm.audio_output": .media, "sipterm.codecs": .media,
        "sipterm.media_profile": .media, "sipterm.sdes_unencrypted_signalling": .media,
        "sipterm.ice_servers": .media, "sipterm.ice_gathering_timeout": .media,
        "sipterm.theme": .interface, "sipterm.bell": .interface, "sipterm.keys": .interface,
    ]
}
