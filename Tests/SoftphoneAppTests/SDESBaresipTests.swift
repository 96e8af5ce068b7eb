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
        let rtp = try Self.expectNoPlaintext(call, baresip: Self.baresip)
        #expect(rtp.filter { $0.payload.count == 182 }.count > 200, "SRTP with a 10-byte tag")
    }

    /// More than 200 PCMU packets on the wire, and not one of them a frame in the clear; the
    /// PCMU packets, for more checks.
    @discardableResult
    static func expectNoPlaintext(
        _ call: AudioEndToEndTests.ToneCall, baresip: Baresip
    ) throws
        -> [LoopbackCapture.Datagram]
    {
        let rtp = pcmu(call.datagrams)
        #expect(rtp.count > 200, "captured \(call.datagrams.count) datagrams, \(rtp.count) PCMU packets")
        let leaked = try leaked(rtp, call)
        #expect(leaked.isEmpty, "packets carry a plaintext frame: \(describe(leaked, baresip: baresip))")
        return rtp
    }

    /// The captured datagrams that are RTP with payload type 0.
    static func pcmu(_ datagrams: [LoopbackCapture.Datagram]) -> [LoopbackCapture.Datagram] {
        datagrams.filter { $0.payload.count >= 12 && $0.payload[0] >> 6 == 2 && $0.payload[1] & 0x7F == 0 }
    }

    /// The packets whose payload is a frame either side sent in the clear.
    static func leaked(
        _ rtp: [LoopbackCapture.Datagram], _ call: AudioEndToEndTests.ToneCall
    ) throws
        -> [LoopbackCapture.Datagram]
    {
        let plaintext = frames(try WAVFile.readTelephony(path: call.source)).union(frames(call.received))
        #expect(plaintext.count > 1)
        return rtp.filter { $0.payload.count >= 172 && plaintext.contains(Array($0.payload[12..<172])) }
    }

    /// Who sent the leaked packets, their ports and sequence numbers: what a failure needs to say.
    static func describe(_ leaked: [LoopbackCapture.Datagram], baresip: Baresip) -> String {
        leaked.prefix(8).map { datagram in
            let sender = baresip.rtpPorts.contains(datagram.sourcePort) ? "baresip" : "sipterm"
            let sequence = Int(datagram.payload[2]) << 8 | Int(datagram.payload[3])
            return "\(sender) \(datagram.sourcePort)→\(datagram.destinationPort) seq \(sequence)"
                + " (\(datagram.payload.count) bytes)"
        }.joined(separator: ", ") + (leaked.count > 8 ? " and \(leaked.count - 8) more" : "")
    }
}
