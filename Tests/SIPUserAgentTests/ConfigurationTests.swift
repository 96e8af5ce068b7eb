import SIPMessage
import SIPTransport
import Testing

@testable import SIPUserAgent

@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try build([:])
        #expect(configuration.connectionRecoveryMinInterval == 2)
        #expect(configuration.connectionRecoveryMaxInterval == 30)
        #expect(configuration.recoveryBackoff == RecoveryBackoff(minimum: 2, maximum: 30))
        #expect(configuration.noAnswerTimeout == 60)
        #expect(configuration.sessionTimers)
        #expect(configuration.sessionTimersRefreshMethod == .update)
        #expect(!configuration.sessionTimersForceRefresher)
        #expect(configuration.register)
        #expect(configuration.registerExpires == 600)
        #expect(configuration.registerFromTagTrail == "")
        #expect(!configuration.usePreloadedRoute)
        #expect(configuration.userAgent == "sipterm 0.1.0")
        #expect(configuration.authorizationUser == "alice")
        #expect(configuration.password == nil && configuration.ha1 == nil && configuration.realm == nil)
        #expect(configuration.displayName == nil)
        #expect(configuration.contactURI == nil)
        #expect(configuration.extraHeaders.isEmpty)
        #expect(configuration.tlsCAFile == nil)
        #expect(configuration.keepaliveInterval == 95)
        #expect(configuration.keepAlive == KeepAlive(interval: .seconds(95), transports: [.tcp, .tls]))
        #expect(!configuration.keepaliveWebSocket)
        #expect(configuration.theme == "default")
        #expect(configuration.dtmfTransport == .rfc2833)
        #expect(configuration.autoAnswer == .off)
        #expect(!configuration.doNotDisturb)
        #expect(configuration.audioInput == "default" && configuration.audioOutput == "default")
        #expect(configuration.codecs == ["PCMU", "PCMA", "telephone-event"])
        #expect(configuration.storeHA1)
        #expect(configuration.sockets == [SocketEntry(url: try SocketURL(parsing: "wss://sip.example.com"))])
        #expect(configuration.uri.description == "sip:alice@example.com")
    }

    @Test func typedAccessors() throws {
        let configuration = try build([
            "sipterm.auto_answer": .integer(3), "sipterm.keepalive_interval": .integer(0),
            "session_timers_refresh_method": .string("Invite"), "sipterm.dtmf_transport": .string("INFO"),
        ])
        #expect(configuration.autoAnswer == .after(seconds: 3))
        #expect(configuration.keepAlive == .off)
        #expect(configuration.sessionTimersRefreshMethod == .invite)
        #expect(configuration.dtmfTransport == .info)
        let zero = try build(["sipterm.auto_answer": .integer(0), "sipterm.keepalive_websocket": .bool(true)])
        #expect(zero.autoAnswer == .immediately)
        #expect(zero.keepAlive.transports == [.tcp, .tls, .ws, .wss])
    }

    @Test func registrarDerivedFromURI() throws {
        let configuration = try build(["uri": .string("sip:Alice@Example.COM:5070;transport=tcp")])
        #expect(configuration.registrarServer.description == "sip:example.com:5070")
        #expect(configuration.value("registrar_server") == .string("sip:example.com:5070"))
        #expect(!configuration.isSet("registrar_server"))
        #expect(configuration.authorizationUser == "Alice")
        let headers = try build(["uri": .string("alice:pw@example.com;user=phone?subject=x")])
        #expect(headers.registrarServer.description == "sip:example.com")
        let secure = try build(["uri": .string("sips:alice@example.com")])
        #expect(secure.registrarServer.description == "sips:example.com")
        #expect(secure.uri.isSecure)
    }

    @Test func uriPrepending() throws {
        #expect(try build(["uri": .string("alice@example.com")]).uri.description == "sip:alice@example.com")
        #expect(try build(["uri": .string("Sip:alice@example.com")]).uri.description == "sip:alice@example.com")
        #expect(
            try build(["registrar_server": .string("reg.example.com")]).registrarServer.description
                == "sip:reg.example.com")
        // contact_uri gets no prepending (as JsSIP).
        #expect(throws: ConfigurationFailure.self) { try build(["contact_uri": .string("me@192.0.2.1")]) }
    }

    @Test func sipsQuirkRejected() {
        let failure = #expect(throws: ConfigurationFailure.self) {
            try build(["uri": .string("sip:sips:alice@example.com")])
        }
        #expect(failure?.errors.first?.reason.contains("two schemes") == true)
    }

    @Test func instanceIDPrefixAndDefault() throws {
        let given = try build(["instance_id": .string("uuid:1D0C2F6E-1234-4ABC-8DEF-0123456789AB")])
        #expect(given.instanceID == "1D0C2F6E-1234-4ABC-8DEF-0123456789AB", "kept as given, as JsSIP keeps it")
        let generated = try build([:]).instanceID
        let pattern = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        #expect(generated.wholeMatch(of: pattern) != nil, "\(generated)")
        #expect(try build([:]).instanceID != generated)
    }

    @Test func aMinimumAboveTheMaximumIsAcceptedAndTheMaximumWins() throws {
        // As JsSIP: no cross-check (its suite accepts min 40 with the default max 30).
        let configuration = try build(["connection_recovery_min_interval": .integer(40)])
        for attempt in 1...6 {
            #expect(configuration.recoveryBackoff.delay(attempt: attempt, fraction: 0.5) == 30)
        }
        _ = try build([:]).proposing(["connection_recovery_max_interval": .integer(1)])
    }

    @Test func badBatchChangesNothing() throws {
        let base = try build(["display_name": .string("Alice")])
        let failure = #expect(throws: ConfigurationFailure.self) {
            try base.proposing([
                "display_name": .string("Bob"), "register_expires": .integer(-1), "session_timers": .string("true"),
            ])
        }
        #expect(failure?.parameters.sorted() == ["register_expires", "session_timers"])
        #expect(base.displayName == "Alice")
        #expect(base.registerExpires == 600)
        let unknown = #expect(throws: ConfigurationFailure.self) {
            try base.proposing(["display_name": .string("Bob"), "colour": .string("red")])
        }
        #expect(unknown?.parameters == ["colour"])
        #expect(base.displayName == "Alice")
    }

    @Test func liveEffectReport() throws {
        let base = try build([:])
        let display = try base.proposing(["display_name": .string("Alice"), "sipterm.theme": .string("dark")])
        #expect(
            display.entry("display_name")
                == .init(name: "display_name", old: nil, new: .string("Alice"), effect: .nextRequest))
        #expect(display.entry("sipterm.theme")?.old == .string("default"))
        #expect(display.effect == .nextRequest)
        let uri = try base.proposing(["uri": .string("bob@other.org")])
        #expect(uri.effect == .reRegister)
        #expect(uri.entries.map(\.name) == ["uri", "authorization_user", "registrar_server"])
        #expect(uri.apply().registrarServer.description == "sip:other.org")
        let sockets = try base.proposing(["sockets": .string("tls://sip.example.com"), "sipterm.dnd": .bool(true)])
        #expect(sockets.effect == .reconnect)
        let timers = try base.proposing(["connection_recovery_max_interval": .integer(60)])
        #expect(timers.effect == .immediate)
        let none = try base.proposing(["no_answer_timeout": .integer(60)])
        #expect(none.entries.isEmpty && none.effect == nil)
        #expect(
            LiveEffect.immediate < .nextRequest && LiveEffect.nextRequest < .reRegister
                && LiveEffect.reRegister < .reconnect)
        let reset = try display.apply().proposing(["display_name": .string("")])
        #expect(reset.entry("display_name")?.new == nil)
        #expect(reset.apply().displayName == nil)
    }

    @Test func effectsPerParameter() {
        func effect(_ name: String) -> LiveEffect? { Parameters.named(name)?.effect }
        #expect(effect("sockets") == .reconnect)
        #expect(effect("sipterm.tls_ca_file") == .reconnect)
        #expect(effect("sipterm.keepalive_interval") == .reconnect)
        #expect(effect("sipterm.keepalive_websocket") == .reconnect)
        for name in ["uri", "password", "ha1", "realm", "register_expires", "registrar_server", "instance_id"] {
            #expect(effect(name) == .reRegister, "\(name)")
        }
        for name in [
            "display_name", "user_agent", "no_answer_timeout", "session_timers", "session_timers_refresh_method",
        ] {
            #expect(effect(name) == .nextRequest, "\(name)")
        }
        for name in ["connection_recovery_min_interval", "connection_recovery_max_interval", "sipterm.theme"] {
            #expect(effect(name) == .immediate, "\(name)")
        }
    }

    @Test func ha1ClearsPassword() throws {
        let base = try build(["password": .string("pw"), "realm": .string("example.com")])
        let change = try base.proposing(["ha1": .string("0123456789abcdef0123456789abcdef")])
        let next = change.apply()
        #expect(next.password == nil)
        #expect(next.ha1 == "0123456789abcdef0123456789abcdef")
        #expect(change.entry("password")?.old == .string(Configuration.mask))
        #expect(change.entry("password")?.new == nil)
        let both = try base.proposing(["ha1": .string("abc"), "password": .string("new")]).apply()
        #expect(both.password == "new")
    }

    @Test func secretsMasked() throws {
        let configuration = try build([
            "password": .string("hunter2"), "ha1": .string("feedface"), "authorization_jwt": .string("Bearer t"),
        ])
        let masked = configuration.masked()
        #expect(masked["password"] == .string("••••"))
        #expect(masked["ha1"] == .string("••••"))
        #expect(masked["authorization_jwt"] == .string("••••"))
        #expect(masked["uri"] == .string("sip:alice@example.com"))
        #expect(masked["no_answer_timeout"] == .integer(60))
        #expect(!masked.values.contains { $0.description.contains("hunter2") })
        let change = try configuration.proposing(["password": .string("swordfish")])
        #expect(!change.description.contains("swordfish") && !change.description.contains("hunter2"))
        #expect(change.entry("password")?.new == .string("••••"))
        let described = configuration.describe("password") ?? ""
        #expect(described.contains("••••") && !described.contains("hunter2"))
        let rejected = #expect(throws: ConfigurationFailure.self) {
            try build(["password": .array([.string("hunter2")])])
        }
        #expect(rejected?.description.contains("hunter2") == false)
    }

    @Test func describeGivesHelp() throws {
        let configuration = try build([:])
        let text = try #require(configuration.describe("register_expires"))
        #expect(text.contains("register_expires"))
        #expect(text.contains("600"))
        #expect(text.contains("re-register"))
        #expect(Parameters.describe("sipterm.theme")?.contains("colour") == true)
        #expect(configuration.describe("nope") == nil)
    }
}
