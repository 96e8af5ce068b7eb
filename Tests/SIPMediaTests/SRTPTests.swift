import Testing

@testable import SIPMedia

@Suite("SRTP")
struct SRTPTests {
    static func keys(_ profile: SRTPProfile) -> (SRTPKeys, SRTPKeys) {
        let a = SDESCrypto.generate(tag: 1, profile: profile).key
        let b = SDESCrypto.generate(tag: 1, profile: profile).key
        return (SRTPKeys(profile: profile, local: a, remote: b), SRTPKeys(profile: profile, local: b, remote: a))
    }

    static func rtp(_ sequence: UInt16, payload: [UInt8] = Array(repeating: 0x55, count: 160)) -> [UInt8] {
        RTPPacket(
            marker: false, payloadType: 0, sequenceNumber: sequence, timestamp: 160 * UInt32(sequence),
            ssrc: 0x1234_5678, payload: payload
        ).bytes
    }

    @Test(arguments: SRTPProfile.all)
    func protectedPacketsOpenOnTheOtherSideOnly(profile: SRTPProfile) throws {
        let (ours, theirs) = Self.keys(profile)
        let sender = try SRTPContext(keys: ours)
        let receiver = try SRTPContext(keys: theirs)
        let plain = Self.rtp(1)
        let protected = try #require(sender.protect(plain))
        let tag = profile == .aesCM128HMACSHA1_32 ? 4 : profile == .aeadAES128GCM ? 16 : 10
        #expect(protected.count == plain.count + tag)
        #expect(Array(protected[0..<12]) == Array(plain[0..<12]), "the RTP header stays in the clear")
        #expect(Array(protected[12..<172]) != Array(plain[12..<172]), "the payload is encrypted")
        #expect(receiver.unprotect(protected) == plain)
        // A context with our own keys (the wrong direction) cannot open it.
        let wrong = try SRTPContext(keys: ours)
        #expect(wrong.unprotect(protected) == nil)
        #expect(wrong.authenticationFailures == 1)
    }

    @Test func tamperedAndReplayedPacketsAreDroppedAndCounted() throws {
        let (ours, theirs) = Self.keys(.aesCM128HMACSHA1_80)
        let sender = try SRTPContext(keys: ours)
        let receiver = try SRTPContext(keys: theirs)
        let first = try #require(sender.protect(Self.rtp(10)))
        var tampered = try #require(sender.protect(Self.rtp(11)))
        tampered[40] ^= 0x01
        #expect(receiver.unprotect(first) != nil)
        #expect(receiver.unprotect(tampered) == nil)
        #expect(receiver.unprotect(first) == nil)
        #expect(receiver.authenticationFailures == 1)
        #expect(receiver.replays == 1)
        #expect(receiver.unprotect([0x80, 0, 0]) == nil, "a runt is refused before libsrtp reads it")
        #expect(receiver.otherFailures == 1)
    }

    @Test func sequenceNumbersWrapWithTheRolloverCounter() throws {
        let (ours, theirs) = Self.keys(.aesCM128HMACSHA1_80)
        let sender = try SRTPContext(keys: ours)
        let receiver = try SRTPContext(keys: theirs)
        for sequence in [UInt16(65534), 65535, 0, 1, 2] {
            let packet = Self.rtp(sequence)
            let protected = try #require(sender.protect(packet))
            #expect(receiver.unprotect(protected) == packet, "sequence \(sequence)")
        }
        #expect(receiver.authenticationFailures == 0)
    }

    @Test(arguments: SRTPProfile.all)
    func rtcpIsProtectedToo(profile: SRTPProfile) throws {
        let (ours, theirs) = Self.keys(profile)
        let sender = try SRTPContext(keys: ours)
        let receiver = try SRTPContext(keys: theirs)
        let report = RTCPPacket.compound([
            .receiverReport(RTCPPacket.ReceiverReport(ssrc: 7, reportBlocks: [])),
            .sourceDescription(RTCPPacket.SourceDescription(ssrc: 7, cname: "sipterm@test")),
        ])
        let protected = try #require(sender.protectRTCP(report))
        #expect(protected.count > report.count + 4)
        #expect(receiver.unprotectRTCP(protected) == report)
        #expect(receiver.unprotectRTCP(protected) == nil, "an SRTCP index is not accepted twice")
    }

    @Test func keysOfTheWrongLengthAreRefused() {
        let short = SRTPKeys(profile: .aesCM128HMACSHA1_80, local: [1, 2, 3], remote: Array(repeating: 0, count: 30))
        #expect(throws: SRTPError.self) { try SRTPContext(keys: short) }
    }
}
