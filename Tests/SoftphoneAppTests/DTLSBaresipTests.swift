import Foundation
import SIPMedia
import TestSupport
import Testing

/// DTLS-SRTP (RFC 5763/5764) with baresip's dtls_srtp module over plain UDP signalling: the
/// keys come from a handshake on the media path, so no key crosses the signalling. Tones both
/// ways, and a capture of the loopback interface showing DTLS records, then SRTP with no
/// plaintext frame.
@Suite("DTLS-SRTP with baresip", .serialized)
struct DTLSBaresipTests {
    static let baresip = Baresip(user: "dario", sipPort: 15270, mediaEncryption: "dtls_srtp")

    @Test(arguments: ["we call", "baresip calls"])
    func tonesBothWaysKeyedByDTLS(direction: String) async throws {
        let call = try await AudioEndToEndTests.toneCall(
            direction, as: "dora", over: "udp", ["sipterm.media_profile=\"dtls\""], with: Self.baresip, capture: true)
        let security = call.call["security"] as? String
        #expect(security?.hasPrefix("SRTP (DTLS ") == true, "security \(security ?? "none")")
        let media = try #require(call.call["media"] as? [String: Any])
        #expect(media["srtp_auth_failures"] as? Double == 0)
        AudioEndToEndTests.expectTonesCrossed(call)
        // On the wire: a DTLS handshake (records 20–63), then SRTP both ways, none of it a
        // plaintext frame.
        #expect(
            call.payloads.contains { DTLSPacketKind($0) == .dtls && $0.count > 13 && $0[13] == 1 }, "a ClientHello")
        try SDESBaresipTests.expectNoPlaintext(call, baresip: Self.baresip)
    }

    /// Kamailio, as a man in the middle, replaces baresip's a=fingerprint in its offer to
    /// mallory: sipterm's handshake finds a certificate the SDP did not name, sends no audio,
    /// and ends the call with cause DTLS Failure and a Reason saying why, within 5 s.
    @Test func aForgedFingerprintEndsTheCallWithNoAudio() async throws {
        let work = try AudioEndToEndTests.directory()
        let source = try AudioEndToEndTests.tone(1000, seconds: 10, in: work)
        try await Self.baresip.start()
        let capture = try await LoopbackCapture(udpPorts: Self.baresip.rtpPorts)
        let agent = try await AgentToAgentTests.registered(
            "mallory", over: "udp", ["sipterm.audio_input=\"file:\(source)\""])
        try await Self.baresip.command("dial", "sip:mallory@sipterm.test")
        let session = try await agent.incoming()
        try await agent.command(["cmd": "answer", "session": session])
        let answered = ContinuousClock.now
        let ended = try await agent.event("ended", session: session, timeout: 5)
        let took = ContinuousClock.now - answered
        try await Task.sleep(for: .milliseconds(300))
        let notices = CallCornerCaseTests.events(agent, "mediaNotice", session: session).compactMap {
            $0["message"] as? String
        }
        await agent.stop()
        try await Self.baresip.stop()
        // This call's packets: those to or from the port sipterm shook hands on (another test's
        // agent may hold a port in baresip's range meanwhile).
        let datagrams = try await capture.stop()
        let ours = Set(
            datagrams.filter { DTLSPacketKind($0.payload) == .dtls }.flatMap {
                [$0.sourcePort, $0.destinationPort]
            }.filter { !Self.baresip.rtpPorts.contains($0) })
        let payloads = datagrams.filter { ours.contains($0.sourcePort) || ours.contains($0.destinationPort) }.map(
            \.payload)

        #expect(ended["cause"] as? String == "DTLS Failure")
        #expect(took < .seconds(5))
        #expect(notices.contains { $0.hasPrefix("DTLS:") && $0.contains("fingerprint") }, "notices \(notices)")
        // The handshake ran and failed; no RTP or SRTP packet crossed either way.
        #expect(payloads.contains { DTLSPacketKind($0) == .dtls }, "no DTLS at all: \(payloads.count) datagrams")
        #expect(payloads.filter { DTLSPacketKind($0) == .rtp }.isEmpty)
    }
}
