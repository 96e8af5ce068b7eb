import Foundation
import Testing

@testable import SIPMedia

@Suite("RTCP packets")
struct RTCPPacketTests {
    /// An SR with one report block followed by an SDES with CNAME and TOOL, written out by hand.
    static let senderReportAndDescription: [UInt8] = [
        // SR: V=2 P=0 RC=1, PT=200, length 12 (52 bytes)
        0x81, 0xC8, 0x00, 0x0C,
        0x12, 0x34, 0x56, 0x78,  // SSRC of sender
        0xE8, 0xA1, 0xB2, 0xC3,  // NTP seconds
        0x80, 0x00, 0x00, 0x00,  // NTP fraction (.5)
        0x00, 0x01, 0xF4, 0x00,  // RTP timestamp 128000
        0x00, 0x00, 0x03, 0xE8,  // sender's packet count 1000
        0x00, 0x02, 0x71, 0x00,  // sender's octet count 160000
        // report block
        0x87, 0x65, 0x43, 0x21,  // SSRC_1
        0x19, 0xFF, 0xFF, 0xFE,  // fraction lost 25/256, cumulative lost -2
        0x00, 0x01, 0x00, 0x05,  // extended highest sequence: 1 cycle, 5
        0x00, 0x00, 0x00, 0x20,  // jitter 32
        0xB7, 0x05, 0x20, 0x00,  // LSR
        0x00, 0x05, 0x40, 0x00,  // DLSR 5.25 s
        // SDES: V=2 P=0 SC=1, PT=202, length 8 (36 bytes)
        0x81, 0xCA, 0x00, 0x08,
        0x12, 0x34, 0x56, 0x78,  // SSRC of the chunk
        0x01, 0x10,  // CNAME, 16 octets
        0x75, 0x73, 0x65, 0x72, 0x40, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65, 0x2E, 0x63, 0x6F, 0x6D,
        0x06, 0x07,  // TOOL, 7 octets
        0x73, 0x69, 0x70, 0x74, 0x65, 0x72, 0x6D,
        0x00,  // end of items, which lands on the 32-bit boundary
    ]

    @Test func parsesSenderReportAndSourceDescription() throws {
        let bytes = Self.senderReportAndDescription
        #expect(bytes.count == 52 + 36)
        let packets = try RTCPPacket.parse(compound: bytes)
        #expect(packets.count == 2)
        guard case .senderReport(let sr) = packets.first else {
            Issue.record("first packet is \(String(describing: packets.first))")
            return
        }
        #expect(sr.ssrc == 0x1234_5678)
        #expect(sr.ntp.seconds == 0xE8A1_B2C3)
        #expect(sr.ntp.fraction == 0x8000_0000)
        #expect(sr.ntp.middle32 == 0xB2C3_8000)
        #expect(sr.rtpTimestamp == 128_000)
        #expect(sr.packetCount == 1000)
        #expect(sr.octetCount == 160_000)
        #expect(sr.profileExtension == [])
        #expect(sr.reportBlocks.count == 1)
        let block = try #require(sr.reportBlocks.first)
        #expect(block.ssrc == 0x8765_4321)
        #expect(block.fractionLost == 25)
        #expect(block.cumulativeLost == -2)
        #expect(block.extendedHighestSequence == 65536 + 5)
        #expect(block.jitter == 32)
        #expect(block.lastSR == 0xB705_2000)
        #expect(block.delaySinceLastSR == 0x0005_4000)
        guard case .sourceDescription(let sdes) = packets.last else {
            Issue.record("second packet is \(String(describing: packets.last))")
            return
        }
        #expect(sdes.chunks.count == 1)
        #expect(sdes.chunks.first?.ssrc == 0x1234_5678)
        #expect(sdes.chunks.first?.cname == "user@example.com")
        #expect(
            sdes.chunks.first?.items == [
                .init(type: .cname, text: "user@example.com"), .init(type: .tool, text: "sipterm"),
            ])
        // Serializing gives back the very same bytes.
        #expect(RTCPPacket.compound(packets) == bytes)
    }

    @Test func parsesReceiverReportByeAndApplicationWithPadding() throws {
        let bytes: [UInt8] = [
            // RR: V=2 P=1 RC=0, PT=201, length 2: SSRC and 4 bytes of padding
            0xA0, 0xC9, 0x00, 0x02,
            0x00, 0x00, 0x00, 0x2A,
            0x00, 0x00, 0x00, 0x04,
            // SDES with a CNAME of 1 octet: chunk of 4 + 3 + 1 null = 8
            0x81, 0xCA, 0x00, 0x02,
            0x00, 0x00, 0x00, 0x2A,
            0x01, 0x01, 0x78, 0x00,
            // BYE: SC=2, reason "done" (1 + 4 octets, then 3 nulls)
            0x82, 0xCB, 0x00, 0x04,
            0x00, 0x00, 0x00, 0x2A,
            0x00, 0x00, 0x00, 0x2B,
            0x04, 0x64, 0x6F, 0x6E,
            0x65, 0x00, 0x00, 0x00,
            // APP: subtype 3, name "TEST", 2 data bytes then 2 bytes of padding
            0xA3, 0xCC, 0x00, 0x03,
            0x00, 0x00, 0x00, 0x2A,
            0x54, 0x45, 0x53, 0x54,
            0xAB, 0xCD, 0x00, 0x02,
        ]
        let packets = try RTCPPacket.parse(compound: bytes)
        #expect(
            packets == [
                .receiverReport(.init(ssrc: 42)),
                .sourceDescription(.init(ssrc: 42, cname: "x")),
                .goodbye(.init(ssrcs: [42, 43], reason: "done")),
                .unknown(.init(packetType: 204, count: 3, body: [0, 0, 0, 0x2A, 0x54, 0x45, 0x53, 0x54, 0xAB, 0xCD])),
            ])
        // The APP body is not 32-bit aligned, so it is padded again the same way; the RR is not.
        let again = RTCPPacket.compound(packets)
        #expect(Array(again[8...]) == Array(bytes[12...]))
        #expect(try RTCPPacket.parse(compound: again) == packets)
    }

    @Test(arguments: [
        RTCPPacket.senderReport(
            .init(
                ssrc: 1, ntp: NTPTimestamp(seconds: 0xE000_0001, fraction: 0x1234_5678), rtpTimestamp: 0xFFFF_FFFF,
                packetCount: 7, octetCount: 1120,
                reportBlocks: [
                    ReportBlock(
                        ssrc: 2, fractionLost: 255, cumulativeLost: 0x7F_FFFF, extendedHighestSequence: 0xFFFF_FFFF,
                        jitter: 1, lastSR: 2, delaySinceLastSR: 3),
                    ReportBlock(ssrc: 3, cumulativeLost: -0x80_0000),
                ], profileExtension: [1, 2, 3, 4, 5, 6, 7, 8])),
        .senderReport(.init(ssrc: 9, ntp: NTPTimestamp(rawValue: 0), rtpTimestamp: 0, packetCount: 0, octetCount: 0)),
        .receiverReport(.init(ssrc: 0xFFFF_FFFF)),
        .receiverReport(.init(ssrc: 5, reportBlocks: [ReportBlock(ssrc: 6, cumulativeLost: -1)])),
        .receiverReport(.init(ssrc: 5, reportBlocks: [], profileExtension: [9, 9, 9])),
        .sourceDescription(.init(chunks: [])),
        .sourceDescription(
            .init(chunks: [
                .init(ssrc: 1, items: []),
                .init(
                    ssrc: 2,
                    items: [
                        .init(type: .cname, text: "bob@192.0.2.1"), .init(type: .name, text: "Bob Ünïcode"),
                        .init(type: .email, text: ""), .init(type: .priv, value: [3, 0x61, 0x62, 0x63, 0xFF]),
                    ]),
                .init(ssrc: 3, items: [.init(type: .init(rawValue: 99), value: Array(repeating: 0x41, count: 255))]),
            ])),
        .goodbye(.init(ssrcs: [])),
        .goodbye(.init(ssrcs: [1, 2, 3])),
        .goodbye(.init(ssrcs: [1], reason: "")),
        .goodbye(.init(ssrcs: [1], reason: "abc")),
        .unknown(.init(packetType: 205, count: 1, body: [0, 0, 0, 1, 0, 0, 0, 2])),
        .unknown(.init(packetType: 207, count: 31, body: [])),
        .unknown(.init(packetType: 206, count: 15, body: [1])),
    ])
    func roundTrips(_ packet: RTCPPacket) throws {
        let bytes = packet.bytes
        #expect(bytes.count % 4 == 0)
        #expect(bytes[0] >> 6 == 2)
        #expect(4 * (Int(bytes[2]) << 8 | Int(bytes[3]) + 1) == bytes.count)
        #expect(try RTCPPacket(parsing: bytes) == packet)
        // And inside a compound, after an RR.
        let compound = RTCPPacket.compound([.receiverReport(.init(ssrc: 77)), packet])
        #expect(try RTCPPacket.parse(compound: compound) == [.receiverReport(.init(ssrc: 77)), packet])
    }

    @Test func serializationCutsToWhatTheHeaderCanSay() throws {
        let blocks = (0..<40).map { ReportBlock(ssrc: UInt32($0)) }
        let rr = RTCPPacket.receiverReport(.init(ssrc: 1, reportBlocks: blocks))
        let parsed = try RTCPPacket(parsing: rr.bytes)
        #expect(parsed == .receiverReport(.init(ssrc: 1, reportBlocks: Array(blocks.prefix(31)))))
        let long = RTCPPacket.goodbye(.init(ssrcs: [1], reason: String(repeating: "z", count: 300)))
        #expect(
            try RTCPPacket(parsing: long.bytes)
                == .goodbye(.init(ssrcs: [1], reason: String(repeating: "z", count: 255))))
        // Cumulative loss beyond 24 bits is clamped, not wrapped.
        let clamped = RTCPPacket.receiverReport(
            .init(ssrc: 1, reportBlocks: [ReportBlock(ssrc: 2, cumulativeLost: 10_000_000)]))
        guard case .receiverReport(let report) = try RTCPPacket(parsing: clamped.bytes) else {
            Issue.record("not an RR")
            return
        }
        #expect(report.reportBlocks.first?.cumulativeLost == 0x7F_FFFF)
    }

    @Test(arguments: [
        ([], "empty RTCP datagram"),
        ([0x80, 0xC9], "short of a header"),
        ([0x40, 0xC9, 0x00, 0x01, 0, 0, 0, 1], "version 1, expected 2"),
        ([0x00, 0xC9, 0x00, 0x01, 0, 0, 0, 1], "version 0, expected 2"),
        ([0x80, 0xC9, 0x00, 0x05, 0, 0, 0, 1], "length field says 24 bytes, but only 8 remain"),
        ([0x80, 0xC9, 0xFF, 0xFF, 0, 0, 0, 1], "length field says 262144 bytes"),
        ([0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x80, 0xC9], "2 bytes after packet 1"),
        ([0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x80, 0xC9, 0x00, 0x01, 0, 0, 0], "only 7 remain"),
        ([0x80, 0xC9, 0x00, 0x00], "RR of 4 bytes has no SSRC"),
        // RC=1 but no room for the block; then a block cut short by 4 bytes.
        ([0x81, 0xC9, 0x00, 0x01, 0, 0, 0, 1], "RR with 1 report blocks is truncated"),
        ([0x81, 0xC9, 0x00, 0x06] + [UInt8](repeating: 0, count: 24), "RR with 1 report blocks is truncated"),
        ([0x80, 0xC8, 0x00, 0x01, 0, 0, 0, 1], "shorter than its 28-byte sender info"),
        ([0x82, 0xC8, 0x00, 0x0D] + [UInt8](repeating: 0, count: 52), "SR with 2 report blocks is truncated"),
        // The padding would swallow the block that the count promises.
        ([0xA1, 0xC9, 0x00, 0x07] + [UInt8](repeating: 0, count: 27) + [24], "RR with 1 report blocks is truncated"),
        ([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 0], "padding of 0 bytes is invalid"),
        ([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 9], "padding of 9 bytes is invalid"),
        ([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 5], "padding of 5 bytes is invalid"),
        ([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 4], "RR of 4 bytes has no SSRC"),
        ([0x82, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0], "SDES chunk 2 of 2 is missing"),
        ([0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 1, 9, 0x61, 0x62], "SDES item of type 1 in chunk 1 is truncated"),
        ([0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 1, 2, 0x61, 0x62], "SDES chunk 1 has no end of its items"),
        ([0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 1, 0, 1, 0], "SDES chunk 1 has no end of its items"),
        ([0x81, 0xCA, 0x00, 0x01, 0, 0, 0, 1], "SDES chunk 1 has no end of its items"),
        ([0x83, 0xCB, 0x00, 0x01, 0, 0, 0, 1], "BYE with 3 sources is truncated"),
        ([0x81, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 4, 0x61, 0x62, 0x63], "BYE reason of 4 bytes is truncated"),
        // A valid RR, then an SR whose report block is cut short.
        (
            [0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x81, 0xC8, 0x00, 0x06] + [UInt8](repeating: 0, count: 24),
            "RTCP packet 2: SR with 1 report blocks is truncated"
        ),
    ])
    func refusesMalformedDatagrams(_ bytes: [UInt8], _ reason: String) {
        do {
            let packets = try RTCPPacket.parse(compound: bytes)
            Issue.record("accepted \(bytes) as \(packets)")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test func singlePacketMustFillTheBytesGiven() {
        #expect(throws: RTCPPacket.Invalid.self) {
            try RTCPPacket(parsing: [0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 0])
        }
        #expect(throws: RTCPPacket.Invalid.self) { try RTCPPacket(parsing: [0x80, 0xC9, 0x00]) }
    }

    /// Every cut of a valid compound is refused, and random corruption never traps.
    @Test func truncationsAndCorruptionAreSafe() throws {
        let bytes = Self.senderReportAndDescription
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            if length == 52 {
                // Exactly the SR.
                #expect((try? RTCPPacket.parse(compound: prefix))?.count == 1)
            } else {
                #expect(throws: RTCPPacket.Invalid.self) { try RTCPPacket.parse(compound: prefix) }
            }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var accepted = 0
        for _ in 0..<5000 {
            var mutated = bytes
            for _ in 0...(next() % 4) { mutated[next() % mutated.count] = UInt8(truncatingIfNeeded: next()) }
            mutated.removeLast(next() % 3 == 0 ? next() % mutated.count : 0)
            if let packets = try? RTCPPacket.parse(compound: mutated) {
                accepted += 1
                // Whatever parses serializes to something that parses the same.
                #expect(try RTCPPacket.parse(compound: RTCPPacket.compound(packets)) == packets)
            }
        }
        #expect(accepted > 0)
    }
}

@Suite("RTCP reception statistics")
struct RTCPReceptionTests {
    /// Feeds `sequences` at 20 ms intervals of an 8 kHz source (timestamps follow the sequence).
    static func receive(_ sequences: [Int], into stats: inout ReceptionStatistics) -> [Bool] {
        sequences.map { sequence in
            stats.received(
                sequence: UInt16(truncatingIfNeeded: sequence), timestamp: UInt32(truncatingIfNeeded: sequence * 160),
                arrival: 100 + Double(sequence) * 0.02)
        }
    }

    @Test func inOrder() {
        var stats = ReceptionStatistics(clockRate: 8000)
        let counted = Self.receive(Array(1000..<1100), into: &stats)
        // The first packet is on probation (A.1), so counting starts at 1001.
        #expect(counted == [false] + Array(repeating: true, count: 99))
        #expect(stats.isValid)
        #expect(stats.packetsReceived == 99)
        #expect(stats.expectedPackets == 99)
        #expect(stats.cumulativeLost == 0)
        #expect(stats.fractionLost == 0)
        #expect(stats.extendedHighestSequence == 1099)
        #expect(stats.jitterSeconds < 1e-9)
        let block = stats.reportBlock(ssrc: 7, lastSRTimestamp: 0x1234_5678, delaySinceLastSR: 0x0001_0000)
        #expect(
            block
                == ReportBlock(
                    ssrc: 7, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 1099, jitter: 0,
                    lastSR: 0x1234_5678, delaySinceLastSR: 0x0001_0000))
    }

    @Test func tenPercentLoss() {
        var stats = ReceptionStatistics(clockRate: 8000)
        // 0 is on probation and 1 validates; of 1...200, the 20 ending in 5 are lost.
        _ = Self.receive((0...200).filter { $0 % 10 != 5 }, into: &stats)
        #expect(stats.expectedPackets == 200)
        #expect(stats.packetsReceived == 180)
        #expect(stats.cumulativeLost == 20)
        #expect(stats.fractionLost == 0.1)
        var block = stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0)
        #expect(block.fractionLost == 25)  // 20 × 256 / 200 = 25.6, truncated
        #expect(block.cumulativeLost == 20)
        #expect(block.extendedHighestSequence == 200)
        // The report starts a new interval.
        #expect(stats.fractionLost == 0)
        // Next interval: 201...300 with 5 lost (205, 225, ...), so 5% since the report.
        _ = Self.receive((201...300).filter { $0 % 20 != 5 }, into: &stats)
        #expect(stats.fractionLost == 0.05)
        #expect(stats.cumulativeLost == 25)
        block = stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0)
        #expect(block.fractionLost == 12)  // 5 × 256 / 100 = 12.8
        #expect(block.cumulativeLost == 25)
        #expect(block.extendedHighestSequence == 300)
        // No packets, no fraction.
        #expect(stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0).fractionLost == 0)
    }

    @Test func reordering() {
        var stats = ReceptionStatistics(clockRate: 8000)
        #expect(Self.receive([0, 1, 2, 4, 3, 5, 6, 8], into: &stats) == [false] + Array(repeating: true, count: 7))
        // 7 is missing for now.
        #expect(stats.cumulativeLost == 1)
        #expect(stats.extendedHighestSequence == 8)
        let block = stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0)
        #expect(block.fractionLost == 32)  // 1 of 8
        // It arrives late: the total heals, the interval has a negative loss, reported as 0.
        #expect(Self.receive([7, 9, 10], into: &stats) == [true, true, true])
        #expect(stats.cumulativeLost == 0)
        #expect(stats.fractionLost == 0)
        #expect(stats.extendedHighestSequence == 10)
        #expect(stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0).fractionLost == 0)
    }

    @Test func duplicates() throws {
        var stats = ReceptionStatistics(clockRate: 8000)
        _ = Self.receive([0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 3], into: &stats)
        #expect(stats.expectedPackets == 10)
        #expect(stats.packetsReceived == 12)
        #expect(stats.cumulativeLost == -2)
        #expect(stats.fractionLost == 0)
        let block = stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0)
        #expect(block.cumulativeLost == -2)
        #expect(block.fractionLost == 0)
        // The negative 24-bit count survives the wire.
        let rr = RTCPPacket.receiverReport(.init(ssrc: 2, reportBlocks: [block]))
        #expect(try RTCPPacket(parsing: rr.bytes) == rr)
    }

    @Test func wraparound() {
        var stats = ReceptionStatistics(clockRate: 8000)
        // 65530 on probation; 65531...65535 then 0...9, with 65535 and 0 lost.
        _ = Self.receive([65530, 65531, 65532, 65533, 65534] + Array(65537...65545), into: &stats)
        #expect(stats.extendedHighestSequence == 65536 + 9)
        #expect(stats.expectedPackets == 15)
        #expect(stats.packetsReceived == 13)
        #expect(stats.cumulativeLost == 2)
        #expect(stats.jitterSeconds < 1e-9)
        // A second wrap adds another cycle.
        _ = Self.receive(Array(stride(from: 65546, through: 2 * 65536 + 4, by: 2)), into: &stats)
        #expect(stats.extendedHighestSequence == 2 * 65536 + 4)
        #expect(stats.cumulativeLost == 2 + 32_765)

        // Probation itself may straddle the wrap.
        var straddling = ReceptionStatistics(clockRate: 8000)
        #expect(Self.receive([65535, 65536, 65537], into: &straddling) == [false, true, true])
        #expect(straddling.extendedHighestSequence == 1)
        #expect(straddling.packetsReceived == 2)
        #expect(straddling.cumulativeLost == 0)
    }

    @Test func probationAndNewSources() {
        // A lone packet is not a source yet.
        var lone = ReceptionStatistics(clockRate: 8000)
        #expect(Self.receive([500], into: &lone) == [false])
        #expect(!lone.isValid)
        #expect(lone.packetsReceived == 0)
        #expect(lone.cumulativeLost == 0)
        #expect(lone.fractionLost == 0)

        // Out of sequence during probation starts it over.
        var jumpy = ReceptionStatistics(clockRate: 8000)
        #expect(Self.receive([100, 300, 302, 303, 304], into: &jumpy) == [false, false, false, true, true])
        #expect(jumpy.isValid)
        #expect(jumpy.packetsReceived == 2)
        #expect(jumpy.expectedPackets == 2)
        #expect(jumpy.extendedHighestSequence == 304)

        // A single packet far ahead is ignored; the stream goes on.
        var stray = ReceptionStatistics(clockRate: 8000)
        let strayCounted = Self.receive(Array(1000...1010) + [50000] + Array(1011...1020), into: &stray)
        #expect(strayCounted.filter { !$0 }.count == 2)
        #expect(stray.packetsReceived == 20)
        #expect(stray.cumulativeLost == 0)
        #expect(stray.extendedHighestSequence == 1020)

        // Two sequential packets after a jump: the sender restarted, counting starts again.
        var restarted = ReceptionStatistics(clockRate: 8000)
        _ = Self.receive(Array(1000...1010).filter { $0 != 1005 }, into: &restarted)
        #expect(restarted.cumulativeLost == 1)
        _ = restarted.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0)
        #expect(Self.receive(Array(40000...40010), into: &restarted) == [false] + Array(repeating: true, count: 10))
        #expect(restarted.packetsReceived == 10)
        #expect(restarted.expectedPackets == 10)
        #expect(restarted.cumulativeLost == 0)
        #expect(restarted.extendedHighestSequence == 40010)
        #expect(restarted.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0).fractionLost == 0)
    }

    @Test func jitterIsZeroForConstantDelay() {
        var stats = ReceptionStatistics(clockRate: 8000)
        // Timestamps starting just short of 2^32 wrap; that is not delay.
        for index in 0..<500 {
            stats.received(
                sequence: UInt16(index), timestamp: 0xFFFF_F000 &+ UInt32(index * 160),
                arrival: 1_700_000_000.125 + 0.02 * Double(index))
        }
        #expect(stats.jitterSeconds < 1e-6)
        #expect(stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0).jitter == 0)
    }

    /// Packets sent every 20 ms; odd ones are 5 ms late. Every transit difference is then 5 ms
    /// = 40 units at 8 kHz, and A.8's J += (|D| − J)/16 gives J_n = 40 (1 − (15/16)^n) after n
    /// differences, tending to 40 units.
    @Test(arguments: [10, 40, 600])
    func jitterForAlternatingDelay(packets: Int) {
        var stats = ReceptionStatistics(clockRate: 8000)
        for index in 0..<packets {
            stats.received(
                sequence: UInt16(index), timestamp: UInt32(1000 + 160 * index),
                arrival: 50 + 0.02 * Double(index) + (index % 2 == 1 ? 0.005 : 0))
        }
        // Packet 0 is on probation and packet 1 only starts the transit history.
        let differences = Double(packets - 2)
        let expectedUnits = 40 * (1 - pow(15.0 / 16.0, differences))
        #expect(abs(stats.jitterSeconds - expectedUnits / 8000) < 1e-9)
        let reported = stats.reportBlock(ssrc: 1, lastSRTimestamp: 0, delaySinceLastSR: 0).jitter
        if packets == 600 {
            // Converged: 40 units, 5 ms (the report truncates what may still be a hair under 40).
            #expect(abs(stats.jitterSeconds - 0.005) < 1e-9)
            #expect(reported == 39 || reported == 40)
        } else {
            #expect(reported == UInt32(expectedUnits))
        }
    }
}

@Suite("RTCP timing")
struct RTCPTimingTests {
    @Test func roundTripFromTheRFCExample() {
        // RFC 3550 Figure 2: A = 46864.500, LSR = 46853.125, DLSR = 5.250 → 6.125 s.
        #expect(
            RoundTripTime.roundTrip(arrivalNTPMiddle: 0xB710_8000, lastSR: 0xB705_2000, delaySinceLastSR: 0x0005_4000)
                == 6.125)
        #expect(RoundTripTime.roundTrip(arrivalNTPMiddle: 0xB710_8000, lastSR: 0, delaySinceLastSR: 0) == nil)
        // Across the wrap of the middle 32 bits: 2 s after LSR, 0.5 s held.
        #expect(
            RoundTripTime.roundTrip(arrivalNTPMiddle: 0x0001_0000, lastSR: 0xFFFF_0000, delaySinceLastSR: 0x8000)
                == 1.5)
        // A report claiming more delay than has passed.
        #expect(
            RoundTripTime.roundTrip(arrivalNTPMiddle: 0xB710_8000, lastSR: 0xB705_2000, delaySinceLastSR: 0x0010_0000)
                == nil)
    }

    @Test func roundTripThroughAReport() throws {
        let clock = NTPClock(referenceDate: Date(timeIntervalSince1970: 1_700_000_000.25))
        let start = clock.referenceInstant
        var sender = SenderStatistics()
        for _ in 0..<50 {
            sender.sent(
                RTPPacket(
                    payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 1, payload: [UInt8](repeating: 0, count: 160)
                ))
        }
        #expect(sender.packetsSent == 50)
        #expect(sender.octetsSent == 8000)
        let sr = sender.senderReport(ssrc: 1, ntp: clock.timestamp(at: start), rtpTimestamp: 8000, reportBlocks: [])
        guard case .senderReport(let received) = try RTCPPacket(parsing: sr.bytes) else {
            Issue.record("not an SR")
            return
        }
        #expect(received.packetCount == 50)
        #expect(received.octetCount == 8000)
        #expect(received.rtpTimestamp == 8000)
        // The remote answers 250 ms after the SR arrived, and its RR is back 400 ms after we sent.
        var stats = ReceptionStatistics(clockRate: 8000)
        let block = stats.reportBlock(
            ssrc: 1, lastSRTimestamp: received.ntp.middle32,
            delaySinceLastSR: RoundTripTime.compactDelay(seconds: 0.25))
        let arrival = clock.timestamp(at: start + .milliseconds(400)).middle32
        let rtt = try #require(
            RoundTripTime.roundTrip(
                arrivalNTPMiddle: arrival, lastSR: block.lastSR, delaySinceLastSR: block.delaySinceLastSR))
        #expect(abs(rtt - 0.15) <= 3.0 / 65536)
    }

    @Test func ntpTimestamps() {
        let epoch = NTPTimestamp(Date(timeIntervalSince1970: 0))
        #expect(epoch == NTPTimestamp(seconds: 2_208_988_800, fraction: 0))
        #expect(epoch.rawValue == 2_208_988_800 << 32)
        let half = NTPTimestamp(Date(timeIntervalSince1970: 1.5))
        #expect(half == NTPTimestamp(seconds: 2_208_988_801, fraction: 0x8000_0000))
        #expect(NTPTimestamp(seconds: 0xB44D_B705, fraction: 0x2000_0000).middle32 == 0xB705_2000)
        #expect(
            NTPTimestamp(rawValue: 0x0102_0304_0506_0708) == NTPTimestamp(seconds: 0x0102_0304, fraction: 0x0506_0708))
        for since1970 in [0, 1_700_000_000.123456, 2_085_978_495.5, 2_085_978_496.25, 3_000_000_000.75] {
            let date = Date(timeIntervalSince1970: since1970)
            #expect(abs(NTPTimestamp(date).date.timeIntervalSince(date)) < 1e-6, "\(since1970)")
        }
        // After 2036-02-07T06:28:16Z the seconds wrap to era 1.
        #expect(
            NTPTimestamp(Date(timeIntervalSince1970: 2_085_978_496.25)) == NTPTimestamp(seconds: 0, fraction: 1 << 30))
        let clock = NTPClock(referenceDate: Date(timeIntervalSince1970: 10))
        let later = clock.timestamp(at: clock.referenceInstant + .milliseconds(1500))
        #expect(later.seconds == 2_208_988_811)
        #expect(abs(Int64(later.fraction) - 0x8000_0000) < 5000)
    }
}
