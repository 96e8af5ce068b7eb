import Foundation
import SIPMessage
import SIPTransport
import TestSupport
import Testing

@testable import SIPUserAgent

/// Configuration parameters seen where they matter: on the wire, in the messages the UA sent
/// (captured by its trace), and applied live on a running UA.
@Suite("Parameters on the wire", .serialized)
struct WireEffectTests {
    @Test func registerCarriesTheConfiguredValues() async throws {
        let kamailio = try await Kamailio.running()
        let client = try TestUA(
            user: "bob", transport: .tcp,
            extra: [
                "display_name": .string(#"Bob "the" ¶€ĸø"#), "user_agent": .string("sipterm-test/9"),
                "extra_headers": .array([.string("X-Test: one"), .string("X-Other: two")]),
                "register_from_tag_trail": .string("trail"), "use_preloaded_route": .bool(true),
                "instance_id": .string("uuid:00000000-0000-4000-8000-000000000001"),
                "contact_uri": .string("sip:bobcontact@127.0.0.1;transport=tcp"),
                "registrar_server": .string("sip:127.0.0.1:\(kamailio.sipPort)"), "register_expires": .integer(120),
            ])
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        let register = try #require(await client.sent().last { $0.hasPrefix("REGISTER ") })
        #expect(register.hasPrefix("REGISTER sip:127.0.0.1:\(kamailio.sipPort) SIP/2.0\r\n"))
        #expect(header("From", in: register)?.hasPrefix(#""Bob \"the\" ¶€ĸø" <sip:bob@sipterm.test>;tag="#) == true)
        #expect(header("From", in: register)?.hasSuffix("trail") == true)
        #expect(header("User-Agent", in: register) == "sipterm-test/9")
        #expect(header("X-Test", in: register) == "one")
        #expect(header("X-Other", in: register) == "two")
        #expect(header("Route", in: register) == "<sip:127.0.0.1:\(kamailio.sipPort);transport=tcp;lr>")
        #expect(
            header("Contact", in: register)
                == #"<sip:bobcontact@127.0.0.1;transport=tcp>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000001>";reg-id=1;expires=120"#
        )
        #expect(header("Expires", in: register) == "120")
        // JsSIP's order: Route, Via, Max-Forwards, To, From, Call-ID, CSeq, credentials, extras, Allow, Supported, User-Agent.
        let names = register.split(separator: "\r\n").dropFirst().map { String($0.prefix { $0 != ":" }) }
        #expect(
            names == [
                "Route", "Via", "Max-Forwards", "To", "From", "Call-ID", "CSeq", "Authorization", "Contact", "Expires",
                "X-Test", "X-Other", "Allow", "Supported", "User-Agent", "Content-Length",
            ])
        await client.ua.stop()
    }

    @Test func jwtIsSentVerbatimAndMaskedWhole() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(
            user: "carol", transport: .udp, extra: ["authorization_jwt": .string("eyJhbGciOi.payload.sig")])
        await client.ua.start()
        _ = try await client.wait(for: "registration answer", isRegistrationOutcome)
        let register = try #require(await client.sent().first { $0.hasPrefix("REGISTER ") })
        #expect(header("Authorization", in: register) == "••••", "no Bearer added, and the token never shown")
        #expect(!register.contains("eyJhbGciOi"))
        await client.ua.stop()
    }

    @Test func jwtReplacesTheDigestAnswerAfterA401() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(
            user: "carol", password: "carol-secret", transport: .udp,
            extra: ["authorization_jwt": .string("Bearer eyJ.token")])
        await client.ua.start()
        _ = try await client.wait(for: "registration answer", isRegistrationOutcome)
        let registers = await client.sent().filter { $0.hasPrefix("REGISTER ") }
        #expect(registers.count >= 2, "the 401 was answered")
        for register in registers {
            let authorizations = register.split(separator: "\r\n").filter { $0.hasPrefix("Authorization:") }
            #expect(authorizations == ["Authorization: Bearer ••••"], "\(authorizations)")
        }
        await client.ua.stop()
    }

    @Test func contactURIHostIsTheViaHostOnWebSocket() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(
            user: "alice", transport: .ws,
            extra: ["contact_uri": .string("sip:alicews@phone.example.invalid;transport=ws")])
        await client.ua.start()
        _ = try await client.wait(for: "registration answer", isRegistrationOutcome)
        let register = try #require(await client.sent().first { $0.hasPrefix("REGISTER ") })
        #expect(header("Via", in: register)?.hasPrefix("SIP/2.0/WS phone.example.invalid;branch=") == true)
        await client.ua.stop()
    }

    @Test func aNewContactRemovesTheOldBindingFirst() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "alice", transport: .udp)
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        let first = try #require(await client.sent().last { $0.hasPrefix("REGISTER ") })
        let old = try #require(header("Contact", in: first)?.split(separator: ">").first.map { $0 + ">" })
        // apply returns once the old binding is removed and the new REGISTER answered.
        try await client.ua.apply(["contact_uri": .string("sip:alicenew@127.0.0.1")])
        let registers = await client.sent().filter { $0.hasPrefix("REGISTER ") }
        let removal = try #require(registers.firstIndex { header("Contact", in: $0)?.hasSuffix("expires=0") == true })
        let added = try #require(registers.lastIndex { header("Contact", in: $0)?.hasPrefix("<sip:alicenew@") == true })
        #expect(header("Contact", in: registers[removal])?.hasPrefix(String(old)) == true, "the old Contact removed")
        #expect(removal < added, "before the new binding is made")
        await client.ua.stop()
    }

    @Test func authorizationUserNamesTheCredentials() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(
            user: "alice", password: "bob-secret", transport: .udp, extra: ["authorization_user": .string("bob")])
        await client.ua.start()
        _ = try await client.wait(for: "registration answer", isRegistrationOutcome)
        let answered = try #require(await client.sent().last { $0.hasPrefix("REGISTER ") })
        #expect(header("Authorization", in: answered)?.contains(#"username="bob""#) == true)
        #expect(header("To", in: answered) == "<sip:alice@sipterm.test>")
        await client.ua.stop()
    }

    @Test func registerFalseSendsNoRegister() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "alice", transport: .tcp, extra: ["register": .bool(false)])
        await client.ua.start()
        try await client.wait(for: "connected") {
            if case .connected = $0 { return true }
            return false
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(await client.sent().isEmpty)
        #expect(try await client.ua.sendOptions(to: nil).statusCode == 200)
        await client.ua.stop()
    }

    @Test func liveChangesReachTheWire() async throws {
        let kamailio = try await Kamailio.running()
        let client = try TestUA(user: "alice", transport: .udp)
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)

        let change = try await client.ua.propose([
            "register_expires": .integer(300), "display_name": .string("Alice Live"),
        ])
        #expect(change.effect == .reRegister)
        try await client.ua.apply(["register_expires": .integer(300), "display_name": .string("Alice Live")])
        let reRegister = try #require(await client.sent().last { $0.hasPrefix("REGISTER ") })
        #expect(header("Expires", in: reRegister) == "300")
        #expect(header("From", in: reRegister)?.hasPrefix(#""Alice Live" <sip:alice@sipterm.test>"#) == true)
        #expect(await client.ua.status().expires == 300)

        // A new socket list reconnects, to the new transport, and registers there.
        try await client.ua.apply(["sockets": .array([.string(try kamailio.url(.ws).description)])])
        try await client.wait(for: "connected over WS") {
            if case .connected(let socket) = $0 { return socket.hasPrefix("ws://") }
            return false
        }
        try await Task.sleep(for: .milliseconds(300))
        let status = await client.ua.status()
        #expect(status.transport == "WS")
        #expect(status.registered)
        // A bad value changes nothing.
        await #expect(throws: ConfigurationFailure.self) {
            try await client.ua.apply(["register_expires": .integer(-5)])
        }
        #expect(await client.ua.configuration.registerExpires == 300)
        await client.ua.stop()
    }

    @Test func reRegistersAfterServerRestart() async throws {
        let kamailio = Kamailio(
            directory: "/tmp/sipterm-peers-ua-restart", sipPort: 17060, tlsPort: 17061, wsPort: 17080, wssPort: 17443)
        try await kamailio.run("start")
        let client = try TestUA(
            user: "alice", transport: .tcp, kamailio: kamailio,
            extra: ["connection_recovery_min_interval": .integer(1), "connection_recovery_max_interval": .integer(2)])
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        try await kamailio.run("stop")
        try await client.wait(for: "unregistered after the drop") {
            if case .unregistered(_, _, let cause) = $0 { return cause == "Connection Error" }
            return false
        }
        try await Task.sleep(for: .seconds(2))
        try await kamailio.run("start")
        let deadline = ContinuousClock.now + .seconds(15)
        while await client.log.count(where: isRegistered) < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(await client.log.count(where: isRegistered) == 2)
        #expect(await client.ua.status().registered)
        await client.ua.stop()
        try await kamailio.run("stop")
    }
}
