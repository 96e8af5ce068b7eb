import Foundation
import SIPTransport
import TestSupport
import Testing

/// Every transport to Kamailio at `[::1]` (RFC 5118): the phone registers, calls a phone
/// registered over UDP at `[::1]`, both hear each other's RTP over IPv6, and the BYE ends it.
/// The wire carries IPv6 the way RFC 5118 writes it: a bracketed reference in Via and Contact,
/// the bare address in SDP (`c=IN IP6 ::1`).
@Suite("IPv6 to Kamailio on [::1]")
struct IPv6Tests {
    static func socket(_ kind: TransportKind, _ kamailio: Kamailio) -> String {
        switch kind {
        case .udp: return "udp://[::1]:\(kamailio.sipPort)"
        case .tcp: return "tcp://[::1]:\(kamailio.sipPort)"
        case .tls: return "tls://[::1]:\(kamailio.tlsPort)"
        case .ws: return "ws://[::1]:\(kamailio.wsPort)/"
        case .wss: return "wss://[::1]:\(kamailio.wssPort)/"
        }
    }

    static func registered(_ user: String, over kind: TransportKind) async throws -> AgentProcess {
        let kamailio = try await Kamailio.running()
        let trust = kind.isSecure ? ["sipterm.tls_ca_file=\"\(kamailio.certificate)\""] : []
        let agent = try AgentProcess(
            [
                "uri=sip:\(user)@sipterm.test", "password=\(user)-secret",
                "sockets=[\"\(socket(kind, kamailio))\"]", "sipterm.audio_input=\"null\"",
                "sipterm.audio_output=\"null\"", "sipterm.media_profile=\"plain\"",
            ] + trust, name: "ipv6-\(user)")
        try await agent.event("registered")
        return agent
    }

    static func packetsReceived(_ agent: AgentProcess) async throws -> Double {
        let media = try await agent.calls().first?["media"] as? [String: Any]
        return media?["packets_received"] as? Double ?? 0
    }

    @Test func kamailioListensOnIPv6Loopback() throws {
        let table = (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? ""
        #expect(
            table.split(separator: "\n").contains { $0.hasPrefix("00000000000000000000000000000001") },
            "this machine has no IPv6 loopback (::1): the IPv6 tests cannot run here")
    }

    @Test(arguments: [TransportKind.udp, .tcp, .tls, .ws, .wss])
    func registersAndCallsOverIPv6(_ kind: TransportKind) async throws {
        let alice = try await Self.registered("v6\(kind.rawValue)a", over: kind)
        let bob = try await Self.registered("v6\(kind.rawValue)b", over: .udp)

        let register = try #require(alice.traces("sent").first { $0.hasPrefix("REGISTER ") })
        let via = register.split(separator: "\r\n").first { $0.hasPrefix("Via: ") }.map(String.init) ?? ""
        #expect(via.contains("[::1]") || kind == .ws || kind == .wss, "Via: \(via)")
        let contact = register.split(separator: "\r\n").first { $0.hasPrefix("Contact: ") }.map(String.init) ?? ""
        #expect(contact.contains("@[::1]") || kind == .ws || kind == .wss, "Contact: \(contact)")
        #expect(alice.traces("received").contains { $0.hasPrefix("SIP/2.0 200") && $0.contains(" REGISTER\r\n") })

        let (outgoing, incoming) = try await AgentToAgentTests.call(alice, bob, target: "v6\(kind.rawValue)b")
        let invite = try #require(alice.traces("sent").first { $0.hasPrefix("INVITE ") })
        #expect(invite.contains("c=IN IP6 ::1\r\n"), "the offer names no IPv6 connection address:\n\(invite)")
        let before = (try await Self.packetsReceived(alice), try await Self.packetsReceived(bob))
        try await Task.sleep(for: .seconds(1))
        let after = (try await Self.packetsReceived(alice), try await Self.packetsReceived(bob))
        // 1 s of 20 ms packets is 50 each way; the margin is for a loaded machine.
        #expect(after.0 - before.0 > 25, "alice received \(after.0 - before.0) RTP packets over IPv6 in 1 s")
        #expect(after.1 - before.1 > 25, "bob received \(after.1 - before.1) RTP packets over IPv6 in 1 s")

        try await alice.command(["cmd": "terminate", "session": outgoing])
        let ended = try await bob.event("ended", session: incoming)
        #expect(ended["originator"] as? String == "remote", "\(ended)")
        try await alice.event("ended", session: outgoing)
        await alice.stop()
        await bob.stop()
    }
}
