import Testing

@testable import SIPMedia

/// The fuzz target's checks run in CI on deterministic mutations of its seed corpus: every
/// truncation and every single-byte corruption of one datagram of each kind, fed raw and
/// re-signed. None may crash; what the re-signing makes valid must reach the ICE agent.
@Suite("malformed media datagrams (the FuzzMedia checks)")
struct UntrustedDatagramTests {
    @Test func seedsCoverEveryKind() {
        let kinds = UntrustedDatagram.seeds.map(DTLSPacketKind.init)
        #expect(kinds.filter { $0 == .stun }.count >= 3, "a check, its answer and a gathering request")
        #expect(kinds.contains(.dtls), "a ClientHello")
        #expect(kinds.filter { $0 == .rtp }.count >= 4, "RTP, an RFC 4733 event, RTCP and SRTP")
    }

    @Test func truncationsAndCorruptionsNeverCrash() {
        var fed = 0
        for seed in UntrustedDatagram.seeds {
            var inputs = (0..<seed.count).map { Array(seed.prefix($0)) }
            for index in seed.indices {
                var flipped = seed
                flipped[index] ^= 0xA5
                inputs.append(flipped)
            }
            for input in inputs {
                for mode in UntrustedDatagram.Mode.allCases { UntrustedDatagram.check(input, mode: mode) }
                fed += 1
            }
        }
        #expect(fed > 1_000)
    }

    @Test func resigningMakesACorruptedCheckAcceptable() throws {
        let check = try #require(UntrustedDatagram.seeds.first { DTLSPacketKind($0) == .stun })
        // A byte of the USERNAME value: the message still parses, and neither check holds.
        var corrupted = check
        corrupted[25] ^= 0x01
        #expect(!STUNMessage.fingerprintIsValid(corrupted))
        let resigned = UntrustedDatagram.resigned(corrupted)
        #expect(STUNMessage.fingerprintIsValid(resigned))
        #expect(STUNMessage.integrityIsValid(resigned, key: Array(UntrustedDatagram.password.utf8)))
    }
}
