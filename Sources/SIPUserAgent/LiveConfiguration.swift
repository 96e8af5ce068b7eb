import SIPMessage
import SIPTransport

/// Every parameter can change on a running UA (JsSIP allows 7): `propose` says what a change
/// will do, `apply` does it — new values for the next request, a re-registration, or a
/// reconnection, as each parameter's live effect says.
extension UserAgent {
    public func propose(_ changes: [String: ConfigValue]) throws(ConfigurationFailure) -> ConfigurationChange {
        try configuration.proposing(changes)
    }

    @discardableResult
    public func apply(_ changes: [String: ConfigValue]) async throws(ConfigurationFailure) -> ConfigurationChange {
        let change = try configuration.proposing(changes)
        let next = change.apply()
        // A new address-of-record, Contact, instance or socket makes a new binding: the old one
        // is removed first (with the old values, on the old connection), not left to expire.
        if registration.registered, configuration.register,
            change.entries.contains(where: { ["uri", "contact_uri", "instance_id", "sockets"].contains($0.name) })
        {
            await unregister(all: false)
        }
        configuration = next
        factory.configuration = configuration
        if change.entries.contains(where: {
            ["authorization_user", "password", "realm", "ha1", "uri"].contains($0.name)
        }) {
            credentials = Credentials(
                username: configuration.authorizationUser ?? configuration.uri.user ?? "",
                password: configuration.password,
                realm: configuration.realm, ha1: configuration.ha1)
        }
        emit(.configChanged(parameters: change.entries.map(\.name), effect: change.effect.map { "\($0)" } ?? "none"))
        switch change.effect {
        case .reconnect?:
            await transport.setOptions(configuration.transportOptions)
            await transport.setSockets(configuration.sockets)
        case .reRegister?:
            if change.entry("register") != nil, !configuration.register {
                if registration.registered { await unregister(all: false) }
            } else if configuration.register {
                registration.requestedExpires = nil
                await register()
            }
        case .immediate?:
            var options = await transport.options
            options.recovery = configuration.recoveryBackoff
            await transport.setOptions(options)
            let watched = ["sipterm.mwi", "sipterm.contacts", "sipterm.publish", "sipterm.presence"]
            if watched.contains(where: { change.entry($0) != nil }) { await updateSubscriptions() }
        case .nextRequest?, nil:
            break
        }
        return change
    }

    /// A snapshot for `status`: connection, registration with its timers, and the configuration
    /// with secrets masked.
    public func status() async -> UAStatus {
        let connection = await transport.connection
        let now = ContinuousClock.now
        func seconds(until instant: ContinuousClock.Instant?) -> Int? {
            guard let instant else { return nil }
            let components = (instant - now).components
            return max(0, Int(components.seconds))
        }
        let expiry = registration.registeredAt.flatMap { at in registration.expires.map { at + .seconds($0) } }
        var calls: [CallInfo] = []
        for session in self.calls.values.sorted(by: { $0.id < $1.id }) where !session.state.isEnded {
            var info = session.info
            info.media = await session.media?.statistics() ?? [:]
            info.codec = await session.media?.codecName()
            info.security = await session.media?.security()
            calls.append(info)
        }
        return UAStatus(
            connected: connection != nil, socket: connection?.url.description, transport: connection?.kind.viaTransport,
            localAddress: connection?.localAddress.map { "\($0.host):\($0.port)" },
            registered: registration.registered, registrar: configuration.registrarServer.description,
            expires: registration.expires,
            refreshIn: registration.registered ? seconds(until: registration.refreshAt) : nil,
            expiresIn: registration.registered ? seconds(until: expiry) : nil, calls: calls,
            configuration: configuration.masked(),
            publicAddress: factory.publicAddress.map { "\($0.host):\($0.port)" })
    }
}

/// The UA's state at one moment.
public struct UAStatus: Sendable {
    public var connected: Bool
    public var socket: String?
    public var transport: String?
    /// `host:port` of the local socket (UDP/TCP/TLS).
    public var localAddress: String?
    public var registered: Bool
    public var registrar: String
    public var expires: Int?
    public var refreshIn: Int?
    public var expiresIn: Int?
    public var calls: [CallInfo]
    public var configuration: [String: ConfigValue]
    /// `host:port` the registrar sees sipterm at, when a NAT maps it elsewhere (RFC 3581).
    public var publicAddress: String? = nil
}
