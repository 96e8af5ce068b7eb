import SIPMessage
import SIPTransport
import Testing

@testable import SIPUserAgent

let minimal: [String: ConfigValue] = ["sockets": .string("wss://sip.example.com"), "uri": .string("alice@example.com")]

func build(_ extra: [String: ConfigValue]) throws -> Configuration {
    try Configuration(minimal.merging(extra) { _, new in new })
}

@Suite struct ParameterValidationTests {
    static let good: [(String, ConfigValue, ConfigValue)] = [
        ("sockets", .string("wss://sip.example.com/ws"), .array([.string("wss://sip.example.com/ws")])),
        (
            "sockets",
            .array([.string("tcp://10.0.0.1"), .table(["url": .string("udp://b.example"), "weight": .integer(2)])]),
            .array([
                .string("tcp://10.0.0.1:5060"),
                .table(["url": .string("udp://b.example"), "weight": .integer(2)]),
            ])
        ),
        ("uri", .string("bob@Example.COM"), .string("sip:bob@example.com")),
        ("uri", .string("SIP:bob@example.com:5070"), .string("sip:bob@example.com:5070")),
        ("uri", .string("sips:bob@example.com"), .string("sips:bob@example.com")),
        ("authorization_jwt", .string("Bearer abc.def"), .string("Bearer abc.def")),
        ("authorization_user", .string("alice"), .string("alice")),
        ("authorization_user", .string(#"al\"ice"#), .string(#"al\"ice"#)),
        ("authorization_user", .integer(1001), .string("1001")),
        ("connection_recovery_max_interval", .integer(60), .integer(60)),
        ("connection_recovery_max_interval", .string("45"), .integer(45)),
        ("connection_recovery_min_interval", .integer(1), .integer(1)),
        ("contact_uri", .string("sip:me@192.0.2.1:5060;transport=tcp"), .string("sip:me@192.0.2.1:5060;transport=tcp")),
        ("display_name", .string("Alice Ünïcode"), .string("Alice Ünïcode")),
        ("display_name", .integer(0), .string("0")),
        (
            "extra_headers", .array([.string("X-Foo:bar"), .string("P-Thing:  a b ")]),
            .array([.string("X-Foo: bar"), .string("P-Thing: a b")])
        ),
        (
            "instance_id", .string("UUID:1D0C2F6E-1234-4ABC-8DEF-0123456789AB"),
            .string("1D0C2F6E-1234-4ABC-8DEF-0123456789AB")
        ),
        // JsSIP's own suite: parameter names and transport values lower-cased.
        (
            "registrar_server", .string("sip:registrar.jssip.NET:6060;TRansport=TCP"),
            .string("sip:registrar.jssip.net:6060;transport=tcp")
        ),
        (
            "uri", .string("sip:Alice@Example.com;TRANSPORT=TLS;X-Keep=CaSe"),
            .string("sip:Alice@example.com;transport=tls;x-keep=CaSe")
        ),
        ("no_answer_timeout", .string("30"), .integer(30)),
        ("no_answer_timeout", .double(90), .integer(90)),
        ("session_timers", .bool(false), .bool(false)),
        ("session_timers_refresh_method", .string("invite"), .string("INVITE")),
        ("session_timers_force_refresher", .bool(true), .bool(true)),
        ("password", .string("s3cret"), .string("s3cret")),
        ("realm", .string("example.com"), .string("example.com")),
        ("ha1", .string("0123456789abcdef0123456789abcdef"), .string("0123456789abcdef0123456789abcdef")),
        ("register", .bool(false), .bool(false)),
        ("register_expires", .integer(0), .integer(0)),
        ("register_expires", .integer(3600), .integer(3600)),
        ("register_from_tag_trail", .string("abc-1"), .string("abc-1")),
        (
            "registrar_server", .string("Registrar.Example.com;transport=tcp"),
            .string("sip:registrar.example.com;transport=tcp")
        ),
        ("use_preloaded_route", .bool(true), .bool(true)),
        ("user_agent", .string("MyPhone/1.0"), .string("MyPhone/1.0")),
        ("sipterm.tls_ca_file", .string("/etc/ssl/my-ca.pem"), .string("/etc/ssl/my-ca.pem")),
        (
            "sipterm.dns_servers", .array([.string(" 127.0.0.1:15353"), .string("::1"), .string("[2001:DB8::1]:53")]),
            .array([.string("127.0.0.1:15353"), .string("::1"), .string("[2001:db8::1]:53")])
        ),
        ("sipterm.dns_servers", .string("192.0.2.1"), .array([.string("192.0.2.1")])),
        ("sipterm.keepalive_interval", .integer(0), .integer(0)),
        ("sipterm.keepalive_websocket", .bool(true), .bool(true)),
        ("sipterm.theme", .string("dark"), .string("dark")),
        ("sipterm.dtmf_transport", .string("info"), .string("INFO")),
        ("sipterm.auto_answer", .string("Immediately"), .string("immediately")),
        ("sipterm.auto_answer", .integer(5), .integer(5)),
        ("sipterm.auto_answer", .string("10"), .integer(10)),
        ("sipterm.dnd", .bool(true), .bool(true)),
        ("sipterm.mwi", .bool(true), .bool(true)),
        ("sipterm.serve_state", .bool(false), .bool(false)),
        ("sipterm.publish", .bool(true), .bool(true)),
        ("sipterm.presence", .string("Away"), .string("away")),
        (
            "sipterm.contacts",
            .array([
                .string("Bob Smith <sip:bob@example.com>"), .string("carol@example.com"),
                .table(["name": .string("Dan"), "uri": .string("sip:dan@example.com;TRANSPORT=TCP")]),
            ]),
            .array([
                .table(["name": .string("Bob Smith"), "uri": .string("sip:bob@example.com")]),
                .table(["uri": .string("sip:carol@example.com")]),
                .table(["name": .string("Dan"), "uri": .string("sip:dan@example.com;transport=tcp")]),
            ])
        ),
        ("sipterm.audio_input", .string("hw:1,0"), .string("hw:1,0")),
        ("sipterm.audio_output", .string("plughw:0"), .string("plughw:0")),
        ("sipterm.codecs", .array([.string("pcma"), .string("opus")]), .array([.string("PCMA"), .string("opus")])),
        ("sipterm.store_ha1", .bool(false), .bool(false)),
        ("sipterm.media_profile", .string("SDES"), .string("sdes")),
        ("sipterm.sdes_unencrypted_signalling", .bool(true), .bool(true)),
        (
            "sipterm.ice_servers",
            .array([
                .string("stun:stun.example.com"),
                .table([
                    "urls": .string("turn:t.example.com:3478?transport=udp"), "username": .string("u"),
                    "credential": .string("c"),
                ]),
            ]),
            .array([
                .table(["urls": .array([.string("stun:stun.example.com")])]),
                .table([
                    "urls": .array([.string("turn:t.example.com:3478?transport=udp")]), "username": .string("u"),
                    "credential": .string("c"),
                ]),
            ])
        ),
        ("sipterm.ice_gathering_timeout", .string("0"), .integer(0)),
        ("sipterm.bell", .bool(false), .bool(false)),
        (
            "sipterm.keys", .table(["hangup": .array([.string("F5"), .string("x")]), "mute": .string("M")]),
            .table(["hangup": .array([.string("F5"), .string("x")]), "mute": .string("M")])
        ),
    ]

    @Test(arguments: good)
    func acceptsAndNormalises(name: String, value: ConfigValue, normalised: ConfigValue) throws {
        let configuration = try build([name: value])
        #expect(configuration.values[name] == normalised)
    }

    static let bad: [(String, ConfigValue)] = [
        ("sockets", .string("http://example.com")),
        ("sockets", .array([.string("wss://ok.example"), .integer(5)])),
        ("sockets", .array([.table(["weight": .integer(1)])])),
        ("sockets", .array([.table(["url": .string("wss://a.example"), "weight": .string("heavy")])])),
        ("sockets", .bool(true)),
        ("uri", .string("example.com")),
        ("uri", .string("tel:+1234")),
        ("uri", .string("sip:sips:alice@example.com")),
        ("uri", .integer(5)),
        ("uri", .string("alice@exa mple.com")),
        ("authorization_jwt", .integer(123)),
        ("authorization_user", .string(#"al"ice"#)),
        ("authorization_user", .string("alice\r\n")),
        ("authorization_user", .string(#"alice\"#)),
        ("connection_recovery_max_interval", .integer(0)),
        ("connection_recovery_max_interval", .double(1.5)),
        ("connection_recovery_min_interval", .integer(-1)),
        ("connection_recovery_min_interval", .string("two")),
        ("contact_uri", .string("not a uri")),
        ("contact_uri", .integer(123)),
        ("display_name", .string("Alice\r\nX-Evil: 1")),
        ("display_name", .array([.string("a")])),
        ("extra_headers", .string("X-Foo: bar")),
        ("extra_headers", .array([.string("X-Foo bar")])),
        ("extra_headers", .array([.string("X Foo: bar")])),
        ("extra_headers", .array([.string("X-Foo: bar\r\nX-Evil: 1")])),
        ("extra_headers", .array([.string("X-Foo: bar"), .integer(5)])),
        ("instance_id", .string("not-a-uuid")),
        ("instance_id", .string("1d0c2f6e-1234-4abc-8def-0123456789")),
        ("no_answer_timeout", .integer(0)),
        ("no_answer_timeout", .integer(-5)),
        ("no_answer_timeout", .double(1.5)),
        ("no_answer_timeout", .string("1.5")),
        ("no_answer_timeout", .bool(true)),
        ("session_timers", .string("true")),
        ("session_timers", .integer(1)),
        ("session_timers_refresh_method", .string("OPTIONS")),
        ("session_timers_refresh_method", .integer(1)),
        ("session_timers_force_refresher", .string("false")),
        ("password", .array([.string("x")])),
        ("realm", .string("a\nb")),
        ("ha1", .table(["a": .integer(1)])),
        ("register", .string("true")),
        ("register_expires", .integer(-1)),
        ("register_expires", .double(2.5)),
        ("register_from_tag_trail", .string("a b")),
        ("registrar_server", .string("sip:bob@registrar.example.com")),
        ("registrar_server", .string("tel:+1")),
        ("use_preloaded_route", .integer(1)),
        ("user_agent", .integer(7)),
        ("user_agent", .string("x\ny")),
        ("sipterm.tls_ca_file", .bool(true)),
        ("sipterm.mwi", .string("on")),
        ("sipterm.serve_state", .integer(1)),
        ("sipterm.publish", .string("yes")),
        ("sipterm.presence", .string("invisible")),
        ("sipterm.contacts", .array([.table(["name": .string("No URI")])])),
        ("sipterm.dns_servers", .array([.string("dns.example.com")])),
        ("sipterm.dns_servers", .array([.string("127.0.0.1:0")])),
        ("sipterm.dns_servers", .array([.string("[::1")])),
        ("sipterm.dns_servers", .array([.integer(53)])),
        ("sipterm.keepalive_interval", .integer(-1)),
        ("sipterm.keepalive_websocket", .string("yes")),
        ("sipterm.theme", .integer(3)),
        ("sipterm.dtmf_transport", .string("SIPINFO")),
        ("sipterm.auto_answer", .string("sometimes")),
        ("sipterm.auto_answer", .integer(-3)),
        ("sipterm.dnd", .string("true")),
        ("sipterm.audio_input", .bool(false)),
        ("sipterm.audio_output", .integer(2)),
        ("sipterm.codecs", .array([.string("PCMU"), .string("speex")])),
        ("sipterm.codecs", .array([.string("telephone-event")])),
        ("sipterm.codecs", .array([.string("PCMU"), .string("pcmu")])),
        ("sipterm.codecs", .string("PCMU")),
        ("sipterm.store_ha1", .integer(0)),
        ("sipterm.media_profile", .string("zrtp")),
        ("sipterm.sdes_unencrypted_signalling", .string("yes")),
        ("sipterm.ice_servers", .array([.string("http://stun.example.com")])),
        ("sipterm.ice_gathering_timeout", .integer(-1)),
        ("sipterm.bell", .string("loud")),
        ("sipterm.keys", .string("F5")),
        ("sipterm.keys", .table(["hangup": .integer(5)])),
        ("sipterm.keys", .table(["hangup": .array([])])),
    ]

    @Test(arguments: bad)
    func rejectsNamingParameterAndValue(name: String, value: ConfigValue) throws {
        let failure = #expect(throws: ConfigurationFailure.self) { try build([name: value]) }
        let error = try #require(failure?.errors.first)
        #expect(failure?.errors.count == 1)
        #expect(error.parameter == name)
        let secret = Parameters.named(name)?.isSecret ?? false
        #expect(error.description.contains(secret ? Configuration.mask : value.description), "\(error)")
        #expect(error.description.hasPrefix(name + ":"))
    }

    @Test func everyParameterIsCoveredGoodAndBad() {
        let goodNames = Set(Self.good.map(\.0))
        let badNames = Set(Self.bad.map(\.0))
        for parameter in Parameters.all {
            #expect(goodNames.contains(parameter.name), "no good value for \(parameter.name)")
            #expect(badNames.contains(parameter.name), "no bad value for \(parameter.name)")
        }
    }

    @Test func tableHasTheJsSIPNamesAndSiptermOwn() {
        let jssip = [
            "sockets", "uri", "authorization_jwt", "authorization_user", "connection_recovery_max_interval",
            "connection_recovery_min_interval", "contact_uri", "display_name", "extra_headers", "instance_id",
            "no_answer_timeout", "session_timers", "session_timers_refresh_method", "session_timers_force_refresher",
            "password", "realm", "ha1", "register", "register_expires", "register_from_tag_trail", "registrar_server",
            "use_preloaded_route", "user_agent",
        ]
        let names = Parameters.all.map(\.name)
        #expect(Array(names.prefix(jssip.count)) == jssip)
        #expect(names.dropFirst(jssip.count).allSatisfy { $0.hasPrefix("sipterm.") })
        #expect(Set(names).count == names.count)
        #expect(Parameters.all.filter(\.isSecret).map(\.name).sorted() == ["authorization_jwt", "ha1", "password"])
        #expect(Parameters.all.filter(\.isMandatory).map(\.name) == ["sockets", "uri"])
        #expect(Parameters.all.allSatisfy { !$0.help.isEmpty && !$0.help.contains("\n") })
    }

    @Test func emptyValuesMeanDefault() throws {
        let configuration = try build([
            "no_answer_timeout": .string(""), "extra_headers": .array([]), "display_name": .string(""),
            "sipterm.codecs": .array([]),
        ])
        #expect(configuration.noAnswerTimeout == 60)
        #expect(configuration.extraHeaders.isEmpty)
        #expect(configuration.displayName == nil)
        #expect(configuration.codecs == ["PCMU", "PCMA", "telephone-event"])
        #expect(!configuration.isSet("no_answer_timeout"))
    }

    @Test func mandatoryParametersMissing() {
        let failure = #expect(throws: ConfigurationFailure.self) { try Configuration([:]) }
        #expect(failure?.parameters == ["sockets", "uri"])
        #expect(failure?.errors.allSatisfy { $0.reason == "missing parameter" } == true)
        let empty = #expect(throws: ConfigurationFailure.self) { try build(["uri": .string("")]) }
        #expect(empty?.parameters == ["uri"])
    }

    @Test func unknownParameterRejected() {
        let failure = #expect(throws: ConfigurationFailure.self) { try build(["ws_servers": .string("wss://x")]) }
        #expect(failure?.parameters == ["ws_servers"])
    }

    @Test func allErrorsReportedTogether() {
        let failure = #expect(throws: ConfigurationFailure.self) {
            try build(["register": .string("true"), "register_expires": .integer(-1), "instance_id": .string("x")])
        }
        #expect(failure?.parameters.sorted() == ["instance_id", "register", "register_expires"])
    }

    @Test func literalParsingForSet() {
        #expect(ConfigValue(literal: "true") == .bool(true))
        #expect(ConfigValue(literal: "30") == .integer(30))
        #expect(ConfigValue(literal: "1.5") == .double(1.5))
        #expect(ConfigValue(literal: "\"true\"") == .string("true"))
        #expect(ConfigValue(literal: "sip:alice@example.com") == .string("sip:alice@example.com"))
        #expect(ConfigValue(literal: "[\"PCMU\", \"PCMA\"]") == .array([.string("PCMU"), .string("PCMA")]))
        #expect(
            ConfigValue(literal: "{ url = \"wss://a\", weight = 2 }")
                == .table(["url": .string("wss://a"), "weight": .integer(2)]))
        let assignment = ConfigValue.assignment("register=false")
        #expect(assignment?.name == "register")
        #expect(assignment?.value == .bool(false))
        #expect(ConfigValue.assignment("no-equals") == nil)
    }

    @Test func jsonValues() throws {
        let json = #"{"register": true, "register_expires": 300, "uri": "bob@x.org", "codecs": ["PCMU"], "ratio": 1.5}"#
        let decoded = try JSONDecoderShim.decode(json)
        #expect(decoded["register"] == .bool(true))
        #expect(decoded["register_expires"] == .integer(300))
        #expect(decoded["uri"] == .string("bob@x.org"))
        #expect(decoded["codecs"] == .array([.string("PCMU")]))
        #expect(decoded["ratio"] == .double(1.5))
    }
}

@Suite("ICE server settings")
struct ICEServerSettingsTests {
    @Test func urlsParseAsRFC7064And7065() {
        #expect(ICEServerURL("stun:stun.example.com") == ICEServerURL("stun:stun.example.com:3478"))
        #expect(ICEServerURL("stuns:stun.example.com")?.port == 5349)
        #expect(ICEServerURL("turn:[2001:db8::1]:3479?transport=tcp")?.host == "2001:db8::1")
        #expect(ICEServerURL("turn:[2001:db8::1]:3479?transport=tcp")?.transport == "tcp")
        for bad in ["stun:", "http://x", "stun:host:0", "stun:host:99999", "stun://host", "stun:[::1"] {
            #expect(ICEServerURL(bad) == nil, "\(bad)")
        }
    }

    @Test func aCredentialIsNeverShown() throws {
        let parameter = try #require(Parameters.named("sipterm.ice_servers"))
        let value = try parameter.validate(
            .array([
                .table([
                    "urls": .string("turn:t.example.com"), "username": .string("u"), "credential": .string("hunter2"),
                ])
            ]))
        #expect(!parameter.shown(value).contains("hunter2"))
        #expect(parameter.shown(value).contains("turn:t.example.com"))
        do {
            _ = try parameter.validate(.array([.table(["urls": .string("bogus"), "credential": .string("hunter2")])]))
            Issue.record("a bad URL was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
