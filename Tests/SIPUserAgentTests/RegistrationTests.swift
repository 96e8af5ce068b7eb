import Foundation
import SIPMessage
import SIPTransport
import TestSupport
import Testing

@testable import SIPUserAgent

/// Registration and authentication against the real Kamailio registrar (digest, realm
/// sipterm.test), checked from the UA's events and from the messages it sent.
@Suite("Registration against Kamailio", .serialized)
struct RegistrationTests {
    @Test("registers over each transport", arguments: TransportKind.allCases)
    func registers(_ kind: TransportKind) async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "alice", transport: kind)
        await client.ua.start()
        guard case .registered(let code, _, let expires) = try await client.wait(for: "registered", isRegistered) else {
            return
        }
        #expect(code == 200)
        #expect(expires == 600)
        let status = await client.ua.status()
        #expect(status.registered)
        #expect(status.transport == kind.viaTransport)
        let registers = await client.sent().filter { $0.hasPrefix("REGISTER ") }
        #expect(registers.count == 2)  // challenged once, answered once
        let answered = try #require(registers.last)
        #expect(header("Authorization", in: answered)?.contains("response=\"••••\"") == true)
        #expect(header("Contact", in: answered)?.contains("+sip.instance=\"<urn:uuid:") == true)
        #expect(header("Contact", in: answered)?.contains(";reg-id=1;expires=600") == true)
        #expect(header("Expires", in: answered) == "600")
        #expect(header("Max-Forwards", in: answered) == "69")
        if kind.isWebSocket {
            #expect(header("Via", in: answered)?.hasPrefix("SIP/2.0/\(kind.viaTransport) ") == true)
            #expect(header("Via", in: answered)?.contains(".invalid;branch=z9hG4bK") == true)
            #expect(header("Contact", in: answered)?.contains(";transport=ws>") == true)
        } else {
            #expect(header("Via", in: answered)?.contains(";rport") == true)
        }
        // CSeq grows and the Call-ID stays.
        let first = try #require(registers.first)
        #expect(header("Call-ID", in: first) == header("Call-ID", in: answered))
        #expect(header("CSeq", in: first) == "1 REGISTER")
        #expect(header("CSeq", in: answered) == "2 REGISTER")
        await client.ua.stop()
    }

    @Test func wrongPasswordFailsOnceWithoutLooping() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "bob", password: "not-the-password")
        await client.ua.start()
        guard
            case .registrationFailed(let cause, let code, _) = try await client.wait(
                for: "registrationFailed", isRegistrationFailed)
        else {
            return
        }
        #expect(cause == "Authentication Error")
        #expect(code == 403)
        try await Task.sleep(for: .milliseconds(500))
        #expect(await client.sent().filter { $0.hasPrefix("REGISTER ") }.count == 2)
        await client.ua.stop()
    }

    @Test func ha1AndRealmWithoutPassword() async throws {
        _ = try await Kamailio.running()
        let ha1 = DigestAlgorithm.md5.hash("carol:sipterm.test:carol-secret")
        let client = try TestUA(
            user: "carol", transport: .tcp,
            extra: ["password": .string(""), "ha1": .string(ha1), "realm": .string("sipterm.test")])
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        await client.ua.stop()
    }

    @Test func theAnsweredPasswordLeavesMemoryForItsHA1() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "carol", transport: .udp)
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        let configuration = await client.ua.configuration
        #expect(configuration.password == nil, "as JsSIP's ua.set('ha1') after the first answer")
        #expect(configuration.ha1 == DigestAlgorithm.md5.hash("carol:sipterm.test:carol-secret"))
        #expect(configuration.realm == "sipterm.test")
        // It re-registers with what it kept.
        await client.ua.register()
        #expect(await client.ua.status().registered)
        await client.ua.stop()

        let keeping = try TestUA(user: "carol", transport: .udp, extra: ["sipterm.store_ha1": .bool(false)])
        await keeping.ua.start()
        try await keeping.wait(for: "registered", isRegistered)
        #expect(await keeping.ua.configuration.password == "carol-secret", "store_ha1 off: kept to be saved")
        await keeping.ua.stop()
    }

    @Test func expiresZeroSendsNoExpires() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "alice", transport: .tcp, extra: ["register_expires": .integer(0)])
        await client.ua.start()
        guard case .registered(_, _, let expires) = try await client.wait(for: "registered", isRegistered) else {
            return
        }
        #expect(expires == 600)  // the registrar's default
        let answered = try #require(await client.sent().last { $0.hasPrefix("REGISTER ") })
        #expect(header("Expires", in: answered) == nil)
        #expect(header("Contact", in: answered)?.contains("expires") == false)
        await client.ua.stop()
    }

    @Test func shortExpiryIsRefreshed() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "bob", transport: .udp, extra: ["register_expires": .integer(30)])
        await client.ua.start()
        guard case .registered(_, _, let expires) = try await client.wait(for: "registered", isRegistered) else {
            return
        }
        #expect(expires == 30)
        // E ≤ 64: refreshed at E − 5 = 25 s.
        try await client.wait(for: "registrationExpiring", timeout: .seconds(28)) {
            if case .registrationExpiring = $0 { return true }
            return false
        }
        try await Task.sleep(for: .seconds(1))
        let status = await client.ua.status()
        #expect(status.registered)
        #expect((status.expiresIn ?? 0) > 25)
        #expect(await client.log.count(where: isRegistered) == 1)
        #expect(await client.log.count(where: isRegistrationFailed) == 0)
        await client.ua.stop()
    }

    @Test func unregisterAll() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "carol", transport: .ws)
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        await client.ua.unregister(all: true)
        guard
            case .unregistered(let code, _, let cause) = try await client.wait(
                for: "unregistered",
                {
                    if case .unregistered = $0 { return true }
                    return false
                })
        else { return }
        #expect(code == 200)
        #expect(cause == nil)
        let last = try #require(await client.sent().last { $0.hasPrefix("REGISTER ") })
        #expect(header("Contact", in: last) == "*")
        #expect(header("Expires", in: last) == "0")
        #expect(await client.ua.status().registered == false)
        await client.ua.stop()
    }

    @Test func messageBetweenTwoAgentsAndOptions() async throws {
        _ = try await Kamailio.running()
        let alice = try TestUA(user: "alice", transport: .ws)
        let bob = try TestUA(user: "bob", transport: .udp)
        await alice.ua.start()
        await bob.ua.start()
        try await alice.wait(for: "alice registered", isRegistered)
        try await bob.wait(for: "bob registered", isRegistered)
        let response = try await alice.ua.sendMessage(to: "bob", body: "hello ¶€ĸø")
        #expect(response.statusCode == 200)
        guard
            case .newMessage(.remote, let from, _, let contentType, let body, _) = try await bob.wait(
                for: "newMessage",
                {
                    if case .newMessage(.remote, _, _, _, _, _) = $0 { return true }
                    return false
                })
        else { return }
        #expect(from == "sip:alice@sipterm.test")
        #expect(body == "hello ¶€ĸø")
        #expect(contentType == "text/plain")
        // MESSAGE was challenged by the proxy (407) and answered with Proxy-Authorization.
        let messages = await alice.sent().filter { $0.hasPrefix("MESSAGE ") }
        #expect(messages.count == 2)
        #expect(messages.last.flatMap { header("Proxy-Authorization", in: $0) }?.hasPrefix("Digest") == true)
        // OPTIONS to the registrar.
        #expect(try await bob.ua.sendOptions(to: nil).statusCode == 200)
        await alice.ua.stop()
        await bob.ua.stop()
    }
}
