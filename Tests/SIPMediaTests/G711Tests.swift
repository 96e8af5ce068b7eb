import Testing

@testable import SIPMedia

@Suite("G.711 and RTP packets")
struct G711Tests {
    @Test func knownCodes() {
        #expect(G711.ulaw(0) == 0xFF)
        #expect(G711.ulaw(32767) == 0x80)
        #expect(G711.ulaw(-32768) == 0x00)
        #expect(G711.linear(ulaw: 0xFF) == 0)
        #expect(G711.linear(ulaw: 0x80) == 32124)
        #expect(G711.linear(ulaw: 0x00) == -32124)
        #expect(G711.alaw(0) == 0xD5)
        #expect(G711.alaw(32767) == 0xAA)
        #expect(G711.alaw(-32768) == 0x2A)
        #expect(G711.linear(alaw: 0xD5) == 8)
        #expect(G711.linear(alaw: 0xAA) == 32256)
        #expect(G711.linear(alaw: 0x2A) == -32256)
    }

    /// Every 16-bit sample survives encode/decode within its segment's quantisation step, keeps
    /// its sign, and codes never decrease as the sample grows.
    @Test(arguments: [false, true])
    func roundTripErrorIsBounded(alaw: Bool) {
        var previous = alaw ? G711.linear(alaw: G711.alaw(Int16.min)) : G711.linear(ulaw: G711.ulaw(Int16.min))
        for value in stride(from: Int(Int16.min), through: Int(Int16.max), by: 7) {
            let sample = Int16(value)
            let decoded = Int(alaw ? G711.linear(alaw: G711.alaw(sample)) : G711.linear(ulaw: G711.ulaw(sample)))
            let step = max(16, abs(value) / 16)
            #expect(abs(decoded - value) <= step, "sample \(value) decoded as \(decoded)")
            #expect(Int16(clamping: decoded) >= previous)
            previous = Int16(clamping: decoded)
        }
    }

    @Test func everyCodeDecodesToAFixedPoint() {
        for code in UInt8.min...UInt8.max {
            let ulaw = G711.linear(ulaw: code)
            #expect(G711.linear(ulaw: G711.ulaw(ulaw)) == ulaw)
            let alaw = G711.linear(alaw: code)
            #expect(G711.linear(alaw: G711.alaw(alaw)) == alaw)
        }
    }

    @Test func rtpRoundTrip() throws {
        var packet = RTPPacket(
            marker: true, payloadType: 101, sequenceNumber: 65535, timestamp: 0xDEAD_BEEF, ssrc: 0x1234_5678,
            payload: [1, 2, 3])
        packet.csrcs = [7, 8]
        packet.extensionHeader = (0xBEDE, [0x0102_0304])
        let bytes = packet.bytes
        #expect(bytes.count == 12 + 8 + 8 + 3)
        #expect(bytes[0] == 0x92)
        #expect(bytes[1] == 0xE5)
        #expect(try RTPPacket(parsing: bytes) == packet)
        var padded = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 9, payload: [0xFF, 0xFF]).bytes
        padded[0] |= 0x20
        padded += [0, 0, 3]
        #expect(try RTPPacket(parsing: padded).payload == [0xFF, 0xFF])
    }

    @Test(arguments: [
        [UInt8](repeating: 0x80, count: 11), [0x40] + [UInt8](repeating: 0, count: 11),
        [0x8F] + [UInt8](repeating: 0, count: 20),
        [0x90] + [UInt8](repeating: 0, count: 13), [0xA0] + [UInt8](repeating: 0, count: 10) + [0xFF],
    ])
    func hostilePacketsAreRefused(_ bytes: [UInt8]) {
        #expect(throws: RTPPacket.Invalid.self) { try RTPPacket(parsing: bytes) }
    }
}
