import TestSupport
import Testing

@testable import SIPMedia

@Suite struct DTLSRecordPackerTests {
    @Test func packsWholeRecordsUpToTheMTU() {
        func record(_ length: Int) -> [UInt8] {
            [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)]
                + Array(repeating: 0xAB, count: length)
        }
        let records = [record(100), record(100), record(300), record(10)]
        let datagrams = DTLSRecordPacker.datagrams(from: Array(records.joined())[...], mtu: 256)
        #expect(datagrams == [records[0] + records[1], records[2], records[3]])
    }

    @Test func arbitraryBytesAreKeptAndNeverTrap() {
        var rng = SplitMix64(seed: 42)
        for size in [0, 1, 12, 13, 14, 100, 1000, 5000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let datagrams = DTLSRecordPacker.datagrams(from: bytes[...], mtu: 1200)
            #expect(Array(datagrams.joined()) == bytes)
            #expect(!datagrams.contains { $0.isEmpty })
        }
    }
}
