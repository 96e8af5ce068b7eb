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
        let call = try await AudioEndToEndTests.toneCall(
            direction, as: "sabine", over: "tls", ["sipterm.media_profile=\"sdes\""], with: Self.baresip,
            capture: true)
        #expect(call.call["security"] as? String == "SRTP (SDES AES_CM_128_HMAC_SHA1_80)")
        let media = try #require(call.call["media"] as? [String: Any])
        #expect(media["srtp_auth_failures"] as? Double == 0)
        AudioEndToEndTests.expectTonesCrossed(call)
        // On the wire: SRTP packets (12-byte header, 160 bytes of PCMU, an 80-bit tag) both
        // ways, and not one payload that is a frame either side sent.
        let rtp = Self.pcmu(call.payloads)
        #expect(rtp.count > 200, "captured \(call.payloads.count) datagrams, \(rtp.count) PCMU packets")
        #expect(rtp.filter { $0.count == 182 }.count > 200, "SRTP with a 10-byte tag")
        #expect(try Self.leaked(rtp, call).isEmpty, "packets carry a plaintext frame")
    }

    /// The captured datagrams that are RTP with payload type 0.
    static func pcmu(_ payloads: [[UInt8]]) -> [[UInt8]] {
        payloads.filter { $0.count >= 12 && $0[0] >> 6 == 2 && $0[1] & 0x7F == 0 }
    }

    /// The packets whose payload is a frame either side sent in the clear.
    static func leaked(_ rtp: [[UInt8]], _ call: AudioEndToEndTests.ToneCall) throws -> [[UInt8]] {
        let plaintext = frames(try WAVFile.readTelephony(path: call.source)).union(frames(call.received))
        #expect(plaintext.count > 1)
        return rtp.filter { $0.count >= 172 && plaintext.contains(Array($0[12..<172])) }
    }
}
