/// Every parameter sipterm knows: JsSIP's UA parameters under their JsSIP names, then sipterm's
/// own settings as `sipterm.NAME`. Validation, defaults, help, secrecy, the config file and the
/// live-change report are all driven by this one table.
public enum Parameters {
    public static let all: [Parameter] = [
        Parameter(
            "sockets", .sockets, jssip: "none (mandatory)", effect: .reconnect, mandatory: true,
            help:
                "SIP servers to connect to: ws://, wss://, udp://, tcp://, tls:// URLs (or sip: URIs), with weights; unlike JsSIP one bare URL (not in a list) is accepted too; a host name is looked up as RFC 3263 says: without a port its SRV records give the servers (priorities, weights, failover to the next when a connection cannot be made), and a sip:/sips: URI without ;transport= lets NAPTR records choose the transport (ws/wss URLs keep their written or default port)",
            check: Check.sockets),
        Parameter(
            "uri", .sipURI, jssip: "none (mandatory)", effect: .reRegister, mandatory: true,
            help:
                "your SIP address (address-of-record); sip: is added when missing, parameter names and transport/user values are lower-cased (as JsSIP does)",
            check: Check.userURI),
        Parameter(
            "authorization_jwt", .string, jssip: "none", effect: .reRegister, secret: true,
            help:
                "sent verbatim as the Authorization header of every request, replacing a digest answer to a 401, as JsSIP 3.13.8 does (write \"Bearer <token>\" if the server wants the scheme)",
            check: { value throws(Rejection) in try Check.line(value) }),
        Parameter(
            "authorization_user", .string, jssip: "the user part of uri", effect: .reRegister,
            help: "the user name for digest authentication",
            check: Check.quotable),
        Parameter(
            "connection_recovery_max_interval", .integer, default: .integer(30), jssip: "30", effect: .immediate,
            help: "longest wait in seconds before reconnecting after a transport failure",
            check: { value throws(Rejection) in try Check.integer(value, minimum: 1) }),
        Parameter(
            "connection_recovery_min_interval", .integer, default: .integer(2), jssip: "2", effect: .immediate,
            help:
                "shortest wait in seconds before reconnecting after a transport failure; above the max interval, every wait is the max (JsSIP does not cross-check either)",
            check: { value throws(Rejection) in try Check.integer(value, minimum: 1) }),
        Parameter(
            "contact_uri", .sipURI, jssip: "generated: sip:<random>@<random>.invalid;transport=ws",
            effect: .reRegister,
            help:
                "the Contact URI to register and to put in requests; requests to its user are answered as to uri's; on WS/WSS its host becomes the Via host (as JsSIP's via_host), on UDP/TCP/TLS the Via names the real local address",
            check: { value throws(Rejection) in .string(try Check.sipURI(value, prepend: false).description) }),
        Parameter(
            "display_name", .string, jssip: "none", effect: .nextRequest,
            help: "the name shown to the people you call (in the From header)",
            check: { value throws(Rejection) in try Check.line(value, coercing: true) }),
        Parameter(
            "extra_headers", .stringArray, jssip: "none", effect: .reRegister,
            help:
                "extra header lines (\"Name: value\") added to every REGISTER; an entry that is not a header line is refused with its position (JsSIP drops non-string entries silently)",
            check: Check.headerLines),
        Parameter(
            "instance_id", .uuid, jssip: "a random version 4 UUID", effect: .reRegister,
            help: "the +sip.instance UUID that identifies this device to the registrar (RFC 5626)",
            check: Check.uuid),
        Parameter(
            "no_answer_timeout", .integer, default: .integer(60), jssip: "60", effect: .nextRequest,
            help:
                "seconds an incoming call may ring unanswered before it is refused with 408 (as in JsSIP; an outgoing call rings until the other side gives up or you hang up)",
            check: { value throws(Rejection) in try Check.integer(value, minimum: 1) }),
        Parameter(
            "session_timers", .boolean, default: .bool(true), jssip: "true", effect: .nextRequest,
            help: "use RFC 4028 session timers on calls",
            check: Check.boolean),
        Parameter(
            "session_timers_refresh_method", choices: ["INVITE", "UPDATE"], default: "UPDATE", jssip: "UPDATE",
            effect: .nextRequest, help: "the request that refreshes a session: UPDATE or INVITE"),
        Parameter(
            "session_timers_force_refresher", .boolean, default: .bool(false), jssip: "false",
            effect: .nextRequest, help: "always act as the session refresher, even when the peer offers to",
            check: Check.boolean),
        Parameter(
            "password", .string, jssip: "none", effect: .reRegister, secret: true,
            help: "the password for digest authentication",
            check: { value throws(Rejection) in .string(try Check.text(value, coercing: true)) }),
        Parameter(
            "realm", .string, jssip: "none", effect: .reRegister,
            help: "the realm ha1 was computed for; ha1 is used only for challenges from this realm",
            check: { value throws(Rejection) in try Check.line(value, coercing: true) }),
        Parameter(
            "ha1", .string, jssip: "none", effect: .reRegister, secret: true,
            help: "MD5(user:realm:password), used instead of a password; setting it clears password",
            check: { value throws(Rejection) in .string(try Check.text(value, coercing: true)) }),
        Parameter(
            "register", .boolean, default: .bool(true), jssip: "true", effect: .reRegister,
            help: "register with the registrar at start-up",
            check: Check.boolean),
        Parameter(
            "register_expires", .integer, default: .integer(600), jssip: "600", effect: .reRegister,
            help: "registration lifetime in seconds asked of the registrar (0 sends no expires)",
            check: { value throws(Rejection) in try Check.integer(value, minimum: 0) }),
        Parameter(
            "register_from_tag_trail", .string, jssip: "\"\"", effect: .reRegister,
            help: "text appended to the From tag of every REGISTER (token characters)",
            check: { value throws(Rejection) in
                let text = try Check.text(value, coercing: true)
                guard Check.isToken(text) else { throw Rejection("must consist of token characters") }
                return .string(text)
            }),
        Parameter(
            "registrar_server", .sipURI, jssip: "uri without user, parameters and headers", effect: .reRegister,
            help:
                "where REGISTER is sent (the Request-URI); sip: is added when missing, parameter names and transport/user values are lower-cased (as JsSIP does)",
            check: Check.serverURI),
        Parameter(
            "use_preloaded_route", .boolean, default: .bool(false), jssip: "false", effect: .nextRequest,
            help: "add a Route header with the socket's URI to requests outside a dialog",
            check: Check.boolean),
        Parameter(
            "user_agent", .string, default: .string("sipterm \(SiptermVersion.current)"),
            jssip: "\"JsSIP <version>\"", effect: .nextRequest,
            help: "the User-Agent header value",
            check: { value throws(Rejection) in try Check.line(value) }),
        // sipterm's own settings, in the [sipterm] table of the config file.
        Parameter(
            "sipterm.tls_ca_file", .string, jssip: "not in JsSIP (the browser's trust store)", effect: .reconnect,
            help: "a PEM file of CA certificates trusted for TLS/WSS in addition to the system store",
            check: { value throws(Rejection) in try Check.line(value) }),
        Parameter(
            "sipterm.dns_servers", .stringArray, default: .array([]), jssip: "not in JsSIP (the browser resolves)",
            effect: .reconnect,
            help:
                "DNS servers asked for the sockets' NAPTR, SRV and A/AAAA records, as IP or IP:port ([IPv6]:port); empty = the system's (/etc/resolv.conf, and the hosts file for addresses)",
            check: Check.dnsServers),
        Parameter(
            "sipterm.keepalive_interval", .integer, default: .integer(95), jssip: "not in JsSIP (none sent)",
            effect: .reconnect, help: "seconds between RFC 5626 keep-alives on TCP/TLS (0 = off)",
            check: { value throws(Rejection) in try Check.integer(value, minimum: 0) }),
        Parameter(
            "sipterm.keepalive_websocket", .boolean, default: .bool(false), jssip: "not in JsSIP (none sent)",
            effect: .reconnect, help: "also send keep-alive pings on WebSocket connections",
            check: Check.boolean),
        Parameter(
            "sipterm.theme", .string, default: .string("default"), jssip: "not in JsSIP", effect: .immediate,
            help: "the colour theme of the terminal interface",
            check: { value throws(Rejection) in try Check.line(value) }),
        Parameter(
            "sipterm.dtmf_transport", choices: ["RFC2833", "INFO"], default: "RFC2833",
            jssip: "INFO (JsSIP's default; sipterm defaults to RFC2833)", effect: .immediate,
            help:
                "how DTMF digits are sent: RFC2833 (RFC 4733 telephone-event in the media, the default: what phones, gateways and PBX IVRs expect) or INFO (application/dtmf-relay, JsSIP's default)"
        ),
        Parameter(
            "sipterm.auto_answer", .autoAnswer, default: .string("off"), jssip: "not in JsSIP", effect: .immediate,
            help: "answer incoming calls: off, immediately, or after this many seconds",
            check: Check.autoAnswer),
        Parameter(
            "sipterm.dnd", .boolean, default: .bool(false), jssip: "not in JsSIP", effect: .immediate,
            help: "do not disturb: reject incoming calls with 486 Busy Here",
            check: Check.boolean),
        Parameter(
            "sipterm.serve_state", .boolean, default: .bool(true), jssip: "not in JsSIP (the app answers)",
            effect: .immediate,
            help:
                "answer SUBSCRIBEs for this phone's presence (PIDF: open, on the phone during a call, busy with dnd) and dialog state (RFC 4235 dialog-info, for busy lamps: each call trying, early, confirmed) and NOTIFY every change; SUBSCRIBEs for other event packages go to the app (newSubscribe) or are answered 405",
            check: Check.boolean),
        Parameter(
            "sipterm.contacts", .contacts, jssip: "not in JsSIP", effect: .immediate,
            help:
                "people to watch and call, each a [[sipterm.contacts]] table (name, uri) or a \"Name <sip:user@host>\" string: after registering (or on connecting when register is off) the phone subscribes to each one's presence (PIDF) and dialog state (RFC 4235, the busy lamp) and shows them in the Contacts pane, where Enter calls and w writes a message",
            check: Check.contacts),
        Parameter(
            "sipterm.publish", .boolean, default: .bool(false), jssip: "not in JsSIP", effect: .immediate,
            help:
                "publish this phone's presence (RFC 3903 PUBLISH of PIDF to the address of record, refreshed before it expires, withdrawn on stop) for a presence server to tell watchers: sipterm.presence, on the phone during a call, busy with dnd",
            check: Check.boolean),
        Parameter(
            "sipterm.presence", choices: ["available", "away", "busy"], default: "available", jssip: "not in JsSIP",
            effect: .immediate,
            help:
                "the presence you show watchers (published with sipterm.publish, served with sipterm.serve_state): available, away or busy; a call shows on the phone and dnd shows busy whatever this says"
        ),
        Parameter(
            "sipterm.mwi", .boolean, default: .bool(false), jssip: "not in JsSIP", effect: .immediate,
            help:
                "subscribe to the account's voicemail summary (RFC 3842 message-summary at the address of record) after registering, or on connecting when register is off, and show the waiting messages; an unsolicited message-summary NOTIFY is shown either way",
            check: Check.boolean),
        Parameter(
            "sipterm.audio_input", .string, default: .string("default"), jssip: "not in JsSIP", effect: .nextRequest,
            help: "where the next call's voice comes from: an ALSA device, file:PATH.wav, or null (sipterm devices)",
            check: { value throws(Rejection) in try Check.line(value) }),
        Parameter(
            "sipterm.audio_output", .string, default: .string("default"), jssip: "not in JsSIP",
            effect: .nextRequest,
            help: "where the next call's voice goes: an ALSA device, file:PATH.wav (a recording), or null",
            check: { value throws(Rejection) in try Check.line(value) }),
        Parameter(
            "sipterm.codecs", .stringArray,
            default: .array([.string("PCMU"), .string("PCMA"), .string("telephone-event")]),
            jssip: "not in JsSIP (the browser chooses)", effect: .nextRequest,
            help: "the codecs offered and accepted, in order of preference",
            check: Check.codecs),
        Parameter(
            "sipterm.media_profile", choices: ["auto", "webrtc", "dtls", "sdes", "plain"], default: "auto",
            jssip: "not in JsSIP (the browser offers WebRTC)", effect: .nextRequest,
            help:
                "how the next call's audio is offered: webrtc = what a browser offers (ICE with the ice_servers' candidates, DTLS-SRTP, rtcp-mux, BUNDLE, UDP/TLS/RTP/SAVPF), dtls = SRTP keyed by a DTLS handshake on the media path (UDP/TLS/RTP/SAVP, a=fingerprint, a=setup:actpass, rtcp-mux), sdes = SRTP with a=crypto keys (RTP/SAVP), plain = RTP/AVP, auto = webrtc on WS and WSS sockets (what JsSIP in a browser offers) and RTP/AVP on UDP, TCP and TLS, and a 488 or 606 to its WebRTC offer is retried once with RTP/AVP (other profiles are never retried; a refusal reports the peer's reason and Warning); an incoming offer is answered in its own profile (a DTLS failure ends the call, cause DTLS Failure)"
        ),
        Parameter(
            "sipterm.ice_servers", .iceServers, jssip: "per call: pcConfig.iceServers (the browser's default)",
            effect: .nextRequest,
            help:
                "STUN servers whose answers give the next ICE call a server-reflexive candidate, as JsSIP's iceServers ({urls, username, credential}); stun: servers are used, stuns:/turn:/turns: are kept and not used (no TURN relay)",
            check: Check.iceServers),
        Parameter(
            "sipterm.ice_gathering_timeout", .integer, default: .integer(2),
            jssip: "none (JsSIP waits for the browser)",
            effect: .nextRequest,
            help:
                "seconds an ICE call waits for the STUN servers before its SDP goes with what was gathered (0: host candidates only)",
            check: { value throws(Rejection) in try Check.integer(value, minimum: 0) }),
        Parameter(
            "sipterm.sdes_unencrypted_signalling", .boolean, default: .bool(false), jssip: "not in JsSIP",
            effect: .nextRequest,
            help:
                "put SDES-SRTP keys in SDP sent over UDP, TCP or WS too (anyone on the path can read them); off: SDES is offered and answered over TLS and WSS only",
            check: Check.boolean),
        Parameter(
            "sipterm.bell", .boolean, default: .bool(true), jssip: "not in JsSIP", effect: .immediate,
            help: "ring the terminal bell when a call comes in",
            check: Check.boolean),
        Parameter(
            "sipterm.keys", .keyBindings, jssip: "not in JsSIP", effect: .immediate,
            help: "key bindings: action = \"KEY\" or [\"KEY\", …] (F1…F12, letters, Ctrl-X, Enter, Esc …; see help)",
            check: Check.keyBindings),
        Parameter(
            "sipterm.store_ha1", .boolean, default: .bool(true), jssip: "not in JsSIP", effect: .immediate,
            help:
                "when saving the config file, store ha1 instead of password (needs realm); also, once a digest challenge is answered, the running agent keeps realm + ha1 and forgets the password, as JsSIP does (off: the password stays in memory, to be saved)",
            check: Check.boolean),
    ]

    static let byName: [String: Parameter] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The parameter called `name`, or nil.
    public static func named(_ name: String) -> Parameter? { byName[name] }

    /// Help for one parameter, or nil when there is none of that name.
    public static func describe(_ name: String) -> String? { byName[name]?.helpText }

    /// Parameters JsSIP removed long ago, named in warnings so an old configuration is understood.
    static let removed: [String: String] = [
        "ws_servers": "removed in JsSIP 3.0; use sockets",
        "outbound_proxy_set": "removed in JsSIP 0.3; use sockets",
        "hack_via_tcp": "removed in JsSIP 2.0",
        "hack_via_ws": "removed in JsSIP 2.0",
        "hack_ip_in_contact": "removed in JsSIP 2.0",
        "node_websocket_options": "removed in JsSIP 2.0",
    ]
}
