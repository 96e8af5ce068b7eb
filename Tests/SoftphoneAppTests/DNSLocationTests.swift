import Foundation
import SIPTransport
import TestSupport
import Testing

/// Phones configured the way providers are written, by domain: `sip:sipterm.test` and
/// `sips:sipterm.test`, found through NAPTR and SRV at the loopback DNS server (dnsmasq,
/// peers/dns/sipterm.test.conf), register with Kamailio and call each other.
@Suite("RFC 3263: phones that find Kamailio through DNS")
struct DNSLocationTests {
    static func agent(_ user: String, socket: String) async throws -> AgentProcess {
        let kamailio = try await Kamailio.running()
        _ = try await LoopbackDNS.running()
        return try AgentProcess(
            [
                "uri=sip:\(user)@sipterm.test", "password=\(user)-secret", "sockets=[\"\(socket)\"]",
                "sipterm.dns_servers=[\"\(LoopbackDNS.server)\"]", "sipterm.tls_ca_file=\"\(kamailio.certificate)\"",
                "sipterm.audio_input=\"null\"", "sipterm.audio_output=\"null\"", "sipterm.media_profile=\"plain\"",
            ], name: "dns-\(user)")
    }

    static func viaTransport(_ agent: AgentProcess) -> String? {
        let register = agent.traces("sent").first { $0.hasPrefix("REGISTER ") } ?? ""
        let via = register.split(separator: "\r\n").first { $0.hasPrefix("Via: SIP/2.0/") }
        return via?.dropFirst("Via: SIP/2.0/".count).split(separator: " ").first.map(String.init)
    }

    @Test func phonesFoundByNAPTRAndSRVRegisterAndCall() async throws {
        // NAPTR prefers TCP; its first SRV target is dead, so the phone fails over to Kamailio.
        let alice = try await Self.agent("dnsalice", socket: "sip:sipterm.test")
        let connected = try await alice.event("connected")
        #expect(connected["socket"] as? String == "sip:sipterm.test", "\(connected)")
        try await alice.event("registered")
        #expect(Self.viaTransport(alice) == "TCP", "\(alice.traces("sent").first ?? "")")
        // sips: takes the SIPS+D2T service: TLS, the certificate checked against sipterm.test.
        let bob = try await Self.agent("dnsbob", socket: "sips:sipterm.test")
        try await bob.event("registered")
        #expect(Self.viaTransport(bob) == "TLS")

        let (outgoing, incoming) = try await AgentToAgentTests.call(alice, bob, target: "dnsbob")
        try await alice.command(["cmd": "terminate", "session": outgoing])
        let ended = try await bob.event("ended", session: incoming)
        #expect(ended["originator"] as? String == "remote", "\(ended)")
        await alice.stop()
        await bob.stop()
    }

    @Test func aDomainWithNoServerIsReportedAndCanBeCorrectedLive() async throws {
        let carol = try await Self.agent("dnscarol", socket: "sip:nowhere.sipterm.test")
        let failed = try await carol.event("disconnected")
        let reason = failed["reason"] as? String ?? ""
        #expect(reason.contains("DNS: no server found for sip:nowhere.sipterm.test"), "\(failed)")
        #expect(failed["error"] as? Bool == true)
        // The phone keeps running and takes the corrected domain without a restart.
        let set = try await carol.command(["cmd": "set", "param": "sockets", "value": ["sip:sipterm.test"]])
        #expect(set["ok"] as? Bool == true, "\(set)")
        try await carol.event("registered", timeout: 30)
        #expect(Self.viaTransport(carol) == "TCP")
        await carol.stop()
    }
}
