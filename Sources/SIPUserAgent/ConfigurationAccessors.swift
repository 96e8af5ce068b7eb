import SIPMessage
import SIPTransport

/// How DTMF digits are sent.
public enum DTMFTransport: String, Sendable {
    case rfc2833 = "RFC2833"
    case info = "INFO"
}

/// `sipterm.auto_answer`.
public enum AutoAnswer: Sendable, Equatable {
    case off
    case immediately
    case after(seconds: Int)
}

/// The method that refreshes a session (RFC 4028).
public enum SessionRefreshMethod: String, Sendable {
    case invite = "INVITE"
    case update = "UPDATE"
}

extension Configuration {
    private func string(_ name: String) -> String? { value(name)?.stringValue }
    private func integer(_ name: String) -> Int { value(name)?.integerValue ?? 0 }
    private func flag(_ name: String) -> Bool { value(name)?.boolValue ?? false }

    public var authorizationUser: String? { string("authorization_user") }
    public var authorizationJWT: String? { string("authorization_jwt") }
    public var password: String? { string("password") }
    public var realm: String? { string("realm") }
    public var ha1: String? { string("ha1") }
    public var displayName: String? { string("display_name") }
    public var instanceID: String { string("instance_id") ?? "" }
    public var extraHeaders: [String] { value("extra_headers")?.arrayValue?.compactMap(\.stringValue) ?? [] }
    /// `extra_headers` as header fields, for every request and response the UA writes (the lines
    /// were validated as `Name: value` when set).
    public var extraHeaderFields: [HeaderField] { Self.headerFields(extraHeaders) }

    /// `Name: value` lines as header fields; a line without a colon is skipped.
    static func headerFields(_ lines: [String]) -> [HeaderField] {
        lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingWhitespace
            guard !name.isEmpty else { return nil }
            return HeaderField(HeaderName(name), line[line.index(after: colon)...].trimmingWhitespace)
        }
    }
    public var noAnswerTimeout: Int { integer("no_answer_timeout") }
    public var sessionTimers: Bool { flag("session_timers") }
    public var sessionTimersRefreshMethod: SessionRefreshMethod {
        SessionRefreshMethod(rawValue: string("session_timers_refresh_method") ?? "") ?? .update
    }
    public var sessionTimersForceRefresher: Bool { flag("session_timers_force_refresher") }
    public var register: Bool { flag("register") }
    /// Seconds; 0 means REGISTER carries no expires at all.
    public var registerExpires: Int { integer("register_expires") }
    public var registerFromTagTrail: String { string("register_from_tag_trail") ?? "" }
    public var usePreloadedRoute: Bool { flag("use_preloaded_route") }
    public var userAgent: String { string("user_agent") ?? "sipterm \(SiptermVersion.current)" }
    public var connectionRecoveryMinInterval: Int { integer("connection_recovery_min_interval") }
    public var connectionRecoveryMaxInterval: Int { integer("connection_recovery_max_interval") }
    public var recoveryBackoff: RecoveryBackoff {
        RecoveryBackoff(minimum: connectionRecoveryMinInterval, maximum: connectionRecoveryMaxInterval)
    }

    public var tlsCAFile: String? { string("sipterm.tls_ca_file") }
    public var tlsSettings: TLSSettings { TLSSettings(caFile: tlsCAFile) }
    public var dnsServers: [String] { value("sipterm.dns_servers")?.arrayValue?.compactMap(\.stringValue) ?? [] }
    /// How the transport connects, recovers and keeps the connection alive.
    public var transportOptions: Transport.Options {
        Transport.Options(
            recovery: recoveryBackoff,
            connection: ConnectionSettings(tls: tlsSettings, dns: DNSSettings(servers: dnsServers)),
            keepAlive: keepAlive)
    }
    public var keepaliveInterval: Int { integer("sipterm.keepalive_interval") }
    public var keepaliveWebSocket: Bool { flag("sipterm.keepalive_websocket") }
    /// The keep-alive settings for the transport: TCP/TLS, plus WS/WSS when asked; off at 0.
    public var keepAlive: KeepAlive {
        guard keepaliveInterval > 0 else { return .off }
        var transports: Set<TransportKind> = [.tcp, .tls]
        if keepaliveWebSocket { transports.formUnion([.ws, .wss]) }
        return KeepAlive(interval: .seconds(keepaliveInterval), transports: transports)
    }
    public var mwi: Bool { flag("sipterm.mwi") }
    public var publishesPresence: Bool { flag("sipterm.publish") }
    /// The presence chosen to show: available, away or busy.
    public var presence: String { string("sipterm.presence") ?? "available" }
    /// The people to watch, as `sipterm.contacts` lists them.
    public var contacts: [Contact] {
        (value("sipterm.contacts")?.arrayValue ?? []).compactMap { item in
            guard case .table(let table) = item, let uri = table["uri"]?.stringValue else { return nil }
            return Contact(name: table["name"]?.stringValue, uri: uri)
        }
    }
    public var servesState: Bool { flag("sipterm.serve_state") }
    public var theme: String { string("sipterm.theme") ?? "default" }
    public var dtmfTransport: DTMFTransport {
        DTMFTransport(rawValue: string("sipterm.dtmf_transport") ?? "") ?? .rfc2833
    }
    public var autoAnswer: AutoAnswer {
        switch value("sipterm.auto_answer") {
        case .string("immediately"): return .immediately
        case .integer(let seconds): return .after(seconds: seconds)
        default: return .off
        }
    }
    public var doNotDisturb: Bool { flag("sipterm.dnd") }
    public var audioInput: String { string("sipterm.audio_input") ?? "default" }
    public var audioOutput: String { string("sipterm.audio_output") ?? "default" }
    public var codecs: [String] { value("sipterm.codecs")?.arrayValue?.compactMap(\.stringValue) ?? [] }
    public var mediaProfile: String { string("sipterm.media_profile") ?? "auto" }
    public var sdesUnencryptedSignalling: Bool { flag("sipterm.sdes_unencrypted_signalling") }
    /// The stun: URLs of `sipterm.ice_servers`, in order (the ones sipterm gathers from).
    public var stunURLs: [ICEServerURL] {
        (value("sipterm.ice_servers")?.arrayValue ?? []).flatMap { server -> [ICEServerURL] in
            guard case .table(let table) = server else { return [] }
            return (table["urls"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(ICEServerURL.init) }
                .filter { $0.scheme == .stun }
        }
    }
    public var iceGatheringTimeout: Int { value("sipterm.ice_gathering_timeout")?.integerValue ?? 2 }
    public var storeHA1: Bool { flag("sipterm.store_ha1") }
}
