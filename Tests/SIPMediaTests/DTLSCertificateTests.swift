import Testing

@testable import SIPMedia

@Suite struct DTLSCertificateTests {
    @Test func fingerprintHasSDPForm() throws {
        let cert = try DTLSCertificate()
        let sdp = cert.fingerprint.sdpValue
        #expect(sdp.hasPrefix("sha-256 "))
        let hex = sdp.dropFirst("sha-256 ".count)
        #expect(hex.count == 32 * 3 - 1)
        #expect(hex.allSatisfy { $0 == ":" || ("0"..."9").contains($0) || ("A"..."F").contains($0) })
        #expect(DTLSFingerprint(sdpValue: sdp) == cert.fingerprint)
    }

    @Test func fingerprintOfDERMatchesAndEachRunDiffers() throws {
        let a = try DTLSCertificate()
        let b = try DTLSCertificate()
        #expect(a.fingerprint != b.fingerprint)
        #expect(DTLSFingerprint.of(certificateDER: a.derEncoded, hashFunction: "sha-256") == a.fingerprint)
        for (hash, bytes) in [("sha-1", 20), ("sha-224", 28), ("sha-256", 32), ("sha-384", 48), ("sha-512", 64)] {
            let fp = try #require(DTLSFingerprint.of(certificateDER: a.derEncoded, hashFunction: hash))
            #expect(fp.hashFunction == hash)
            #expect(fp.value.split(separator: ":").count == bytes)
            #expect(a.fingerprint(hashFunction: hash.uppercased()) == fp)
        }
        #expect(DTLSFingerprint.of(certificateDER: a.derEncoded, hashFunction: "md5") == nil)
        #expect(DTLSFingerprint.of(certificateDER: [0x30, 0x03, 0x01], hashFunction: "sha-256") == nil)
        #expect(DTLSFingerprint.of(certificateDER: [], hashFunction: "sha-256") == nil)
    }

    @Test func sdpParsingNormalisesAndRejects() {
        let value = Array(repeating: "ab", count: 32).joined(separator: ":")
        let parsed = DTLSFingerprint(sdpValue: "SHA-256 \(value)")
        #expect(parsed?.hashFunction == "sha-256")
        #expect(parsed?.value == value.uppercased())
        #expect(DTLSFingerprint(sdpValue: "sha-256 AB:CD") == nil)  // too short
        #expect(DTLSFingerprint(sdpValue: "md5 \(value)") == nil)  // refused hash
        #expect(DTLSFingerprint(sdpValue: "sha-256") == nil)
        #expect(DTLSFingerprint(sdpValue: "sha-256 \(Array(repeating: "zz", count: 32).joined(separator: ":"))") == nil)
        #expect(DTLSFingerprint(sdpValue: "") == nil)
    }

    @Test func pemExportsBothParts() throws {
        let pem = try DTLSCertificate().pem()
        #expect(pem.certificate.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(pem.privateKey.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }
}

@Suite struct DTLSPacketKindTests {
    @Test func rfc7983Ranges() {
        #expect(DTLSPacketKind([0x00, 0x01]) == .stun)
        #expect(DTLSPacketKind([0x03]) == .stun)
        #expect(DTLSPacketKind([4]) == .unknown)
        #expect(DTLSPacketKind([19]) == .unknown)  // ZRTP
        #expect(DTLSPacketKind([20]) == .dtls)
        #expect(DTLSPacketKind([22, 0xFE, 0xFD]) == .dtls)
        #expect(DTLSPacketKind([63]) == .dtls)
        #expect(DTLSPacketKind([64]) == .unknown)  // TURN channel
        #expect(DTLSPacketKind([127]) == .unknown)
        #expect(DTLSPacketKind([128]) == .rtp)
        #expect(DTLSPacketKind([0x80, 0x00]) == .rtp)
        #expect(DTLSPacketKind([191]) == .rtp)
        #expect(DTLSPacketKind([192]) == .unknown)
        #expect(DTLSPacketKind([UInt8]()) == .unknown)
        #expect(DTLSPacketKind([UInt8](arrayLiteral: 0x17)[...]) == .dtls)
    }
}
