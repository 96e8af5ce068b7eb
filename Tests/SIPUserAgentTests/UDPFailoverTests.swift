import SIPMessage
import SIPTransport
import SIPUserAgent
import TestSupport
import Testing

/// RFC 3263 §4.3 on UDP, where no connection can fail: a server that does not answer is left
/// for the socket's next SRV target. The loopback DNS server lists a dead server first
/// (`udp.sipterm.test`), then Kamailio.
@Suite("RFC 3263 failover on UDP")
struct UDPFailoverTests {
    @Test func aSilentServerIsLeftForTheNextSRVTarget() async throws {
        let kamailio = try await Kamailio.running()
        _ = try await LoopbackDNS.running()
        // T1 = 50 ms: the REGISTER to the dead server times out (Timer F, 64·T1) in 3.2 s.
        let phone = try TestUA(
            user: "dnsudp",
            extra: [
                "sockets": .array([.string("udp://udp.sipterm.test")]),
                "sipterm.dns_servers": .array([.string(LoopbackDNS.server)]),
            ], timers: TransactionTimers(t1: .milliseconds(50)))
        await phone.ua.start()
        let failed = try await phone.wait(for: "the dead server's timeout", timeout: .seconds(10), isRegistrationFailed)
        guard case .registrationFailed(let cause, nil, nil) = failed else {
            Issue.record("expected a timeout, got \(failed)")
            return
        }
        #expect(cause == "Request Timeout")
        try await phone.wait(for: "registered at the next server", timeout: .seconds(10), isRegistered)
        let remotes = await phone.log.events.compactMap { event -> String? in
            guard case .trace(.sent, _, let remote, let text) = event, text.hasPrefix("REGISTER ") else { return nil }
            return remote
        }
        #expect(remotes.first == "127.0.0.1:15009", "\(remotes)")
        #expect(remotes.last == "127.0.0.1:\(kamailio.sipPort)", "\(remotes)")
        let reconnected = await phone.log.first { event in
            if case .disconnected(_, true, _, let reason?) = event { return reason.contains("trying its next server") }
            return false
        }
        let events = await phone.log.events
        #expect(reconnected != nil, "\(events)")
        // No backoff: the next server was connected at once, not after 2 s or more.
        #expect(await phone.log.count { if case .connecting = $0 { true } else { false } } == 2)
        await phone.ua.stop()
    }
}
