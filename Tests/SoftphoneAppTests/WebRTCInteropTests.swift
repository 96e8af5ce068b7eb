import Foundation
import SIPMedia
import TestSupport
import Testing

/// sipterm with its default media_profile (auto: WebRTC on a WS socket) and the aiortc peer (a browser-grade WebRTC stack: ICE,
/// DTLS-SRTP, rtcp-mux, BUNDLE), both registered at Kamailio over WS as JsSIP users are: each
/// side calls, with PCMU and with Opus; a tone each way is recognised by its dominant
/// frequency, and DTMF crosses by RFC 4733 inside SRTP.
@Suite("WebRTC with the aiortc peer", .serialized)
struct WebRTCInteropTests {
    static func agent(_ codec: String, source: String, recording: String) async throws -> AgentProcess {
        try await AgentToAgentTests.registered(
            "webb", over: "ws",
            [
                "sipterm.codecs=[\"\(codec == "opus" ? "opus" : "PCMU")\", \"telephone-event\"]",
                "sipterm.audio_input=\"file:\(source)\"", "sipterm.audio_output=\"file:\(recording)\"",
            ])
    }

    @Test(arguments: ["we call", "aiortc calls"], ["PCMU", "opus"])
    func tonesAndDTMFBothWays(direction: String, codec: String) async throws {
        let work = try AudioEndToEndTests.directory()
        let source = try AudioEndToEndTests.tone(1000, seconds: 10, in: work)
        let recording = work + "/received.wav"
        let agent = try await Self.agent(codec, source: source, recording: recording)
        let peer: WebRTCPeer
        let session: String
        if direction == "we call" {
            peer = try await WebRTCPeer(
                user: "aiko",
                ["--answer", "--tone", "440", "--codec", codec, "--send-dtmf", "47", "--wait", "30", "--timeout", "60"])
            try await peer.event("registered")
            session = try await agent.call("aiko")
        } else {
            peer = try await WebRTCPeer(
                user: "aiko",
                [
                    "--call", "sip:webb@sipterm.test", "--tone", "440", "--codec", codec, "--duration", "7",
                    "--send-dtmf", "47", "--timeout", "60",
                ])
            session = try await agent.incoming(timeout: 30)
            try await agent.command(["cmd": "answer", "session": session])
            try await agent.event("confirmed", session: session)
        }
        defer { peer.stop() }
        try await peer.event("call", state: "established")
        try await Task.sleep(for: .seconds(2))
        let call = try #require(try await agent.calls().first)
        let security = call["security"] as? String ?? "none"
        #expect(security.hasPrefix("SRTP (DTLS ") && security.contains(", ICE host 127.0.0.1:"), "security \(security)")
        #expect((call["codec"] as? String)?.lowercased() == codec.lowercased())
        try await agent.command(["cmd": "sendDTMF", "session": session, "tones": "5", "transportType": "RFC2833"])
        let tone = try await agent.event("newDTMF", session: session, timeout: 10)
        try await Task.sleep(for: .seconds(3))
        if direction == "we call" {
            try await agent.command(["cmd": "terminate", "session": session])
        }
        try await agent.event("ended", session: session, timeout: 15)
        let result = try await peer.result()
        await agent.stop()

        #expect(tone["tone"] as? String == "4", "first digit the peer sent")
        #expect((result["dtmf"] as? String)?.contains("5") == true, "peer heard \(result["dtmf"] ?? "nothing")")
        let heardThere = result["dominant_hz"] as? Double ?? 0
        #expect(abs(heardThere - 1000) < 30, "the peer heard \(heardThere) Hz")
        let received = try WAVFile.readTelephony(path: recording)
        #expect(received.count > 16000, "recorded \(received.count) samples")
        HeardTone.expect(AudioEndToEndTests.middle(received), heard: 440, forAtLeast: 0.7)
    }
}

/// The deployment JsSIP users really have: sipterm's WebRTC leg (ICE, DTLS-SRTP over WS) bridged
/// by Kamailio's rtpengine module and rtpengine to baresip's plain RTP leg. Tones both ways.
@Suite("WebRTC to plain RTP through rtpengine", .serialized)
struct RTPEngineBridgeTests {
    static let baresip = Baresip(user: "bram", sipPort: 15280)

    @Test(arguments: ["we call", "baresip calls"])
    func tonesBothWaysAcrossTheBridge(direction: String) async throws {
        _ = try await Kamailio.runningWithRelay()
        let call = try await AudioEndToEndTests.toneCall(
            direction, as: "rhea", over: "ws", ["sipterm.media_profile=\"webrtc\""], with: Self.baresip)
        let security = call.call["security"] as? String ?? "none"
        #expect(security.hasPrefix("SRTP (DTLS ") && security.contains(", ICE "), "security \(security)")
        AudioEndToEndTests.expectTonesCrossed(call)
    }
}

/// media_profile auto on a WS socket offers WebRTC; a phone behind a WebSocket server with no
/// media relay (Kamailio passes the offer to baresip plato untouched) refuses it, and the call
/// is placed again once with RTP/AVP: the refusal is reported, the call has plain audio.
@Suite("auto media profile: a refused WebRTC offer is retried with RTP/AVP", .serialized)
struct MediaProfileFallbackTests {
    static let baresip = Baresip(user: "plato", sipPort: 15290)

    @Test func refusedWebRTCOfferIsRetriedPlain() async throws {
        let call = try await AudioEndToEndTests.toneCall("we call", as: "nils", over: "ws", with: Self.baresip) {
            agent, session in
            let notice = try await agent.event("mediaNotice", session: session)
            let message = notice["message"] as? String ?? ""
            #expect(message.hasPrefix("the peer refused the WebRTC offer (488"), "\(message)")
            #expect(message.hasSuffix("calling again with RTP/AVP"), "\(message)")
            // Each offer may be sent twice: once more with credentials after Kamailio's 407.
            let offers = agent.traces("sent").filter { $0.hasPrefix("INVITE ") }.compactMap { invite in
                invite.split(whereSeparator: \.isNewline).first { $0.hasPrefix("m=audio") }.map(String.init)
            }
            #expect(offers.first?.contains("UDP/TLS/RTP/SAVPF") == true, "first offer \(offers.first ?? "none")")
            #expect(offers.last?.contains(" RTP/AVP ") == true, "last offer \(offers.last ?? "none")")
            #expect(Set(offers.map { $0.split(separator: " ")[2] }).count == 2, "\(offers)")
        }
        #expect(call.call["security"] as? String == "plain", "security \(call.call["security"] ?? "?")")
        AudioEndToEndTests.expectTonesCrossed(call)
    }
}
