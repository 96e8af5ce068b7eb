import Foundation
import SIPMedia
import TestSupport
import Testing

/// SDES-SRTP (RFC 4568) with baresip's srtp module, both registered at Kamailio over TLS as an
/// SRTP provider's users would be: tones both ways, and a capture of the loopback interface
/// showing that no RTP payload on the wire is a plaintext frame.
@Suite("SDES-SRTP with baresip over TLS", .serialized)
struct SDESBaresipTests {
    static let baresip = Baresip(user: "bruno", sipPort: 15260, transport: "tls", mediaEncryption: "srtp-mand")

    /// Every distinct 20 ms PCMU frame of a recording: the payloads its sender put in RTP.
    static func frames(_ samples: [Int16]) -> Set<[UInt8]> {
        var frames = Set<[UInt8]>()
        var start = 0
        while start + 160 <= samples.count {
            frames.insert(G711.encode(Array(samples[start..<start + 160]), alaw: false))
            start += 160
        }
        return frames
    }

    @Test(arguments: ["we call", "baresip calls"])
    func tonesBothWaysAndNoPlaintextOnTheWire(direction: String) async throws {
        let work = try AudioEndToEndTests.directory()
        let source = try AudioEndToEndTests.tone(1000, seconds: 10, in: work)
        let recording = work + "/received.wav"
        try await Self.baresip.start()
        let capture = try await LoopbackCapture(udpPorts: Self.baresip.rtpPorts)
        let agent = try await AgentToAgentTests.registered(
            "sabine", over: "tls",
            [
                "sipterm.media_profile=\"sdes\"", "sipterm.audio_input=\"file:\(source)\"",
                "sipterm.audio_output=\"file:\(recording)\"",
            ])
        let session = try await AudioEndToEndTests.establish(direction, agent, "sabine", Self.baresip)
        try await Task.sleep(for: .seconds(3))
        let call = try #require(try await agent.calls().first)
        #expect(call["security"] as? String == "SRTP (SDES AES_CM_128_HMAC_SHA1_80)")
        let media = try #require(call["media"] as? [String: Any])
        #expect(media["srtp_auth_failures"] as? Double == 0)
        try await agent.command(["cmd": "terminate", "session": session])
        try await agent.event("ended", session: session)
        try await Task.sleep(for: .milliseconds(500))
        await agent.stop()
        try await Self.baresip.stop()
        let payloads = try await capture.stop()

        // The tones crossed: baresip's 440 Hz here, our 1000 Hz file there.
        let received = try WAVFile.readTelephony(path: recording)
        #expect(received.count > 16000, "recorded \(received.count) samples")
        #expect(AudioEndToEndTests.dominant(AudioEndToEndTests.middle(received)) == 440)
        let heard = try AudioEndToEndTests.heard(by: Self.baresip)
        #expect(AudioEndToEndTests.dominant(AudioEndToEndTests.middle(heard)) == 1000)

        // On the wire: SRTP packets (12-byte header, 160 bytes of PCMU, an 80-bit tag) both
        // ways, and not one payload that is a frame either side sent.
        let rtp = payloads.filter { $0.count >= 12 && $0[0] >> 6 == 2 && $0[1] & 0x7F == 0 }
        #expect(rtp.count > 200, "captured \(payloads.count) datagrams, \(rtp.count) PCMU packets")
        #expect(rtp.filter { $0.count == 182 }.count > 200, "SRTP with a 10-byte tag")
        let plaintext = Self.frames(try WAVFile.readTelephony(path: source)).union(Self.frames(received))
        #expect(plaintext.count > 1)
        let leaked = rtp.filter { $0.count >= 172 && plaintext.contains(Array($0[12..<172])) }
        #expect(leaked.isEmpty, "\(leaked.count) packets carry a plaintext frame")
    }
}
