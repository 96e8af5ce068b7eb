import NIOCore
import Testing

@testable import SIPMedia

@Suite("STUN messages (RFC 8489, RFC 5769 vectors)")
struct STUNMessageTests {
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter(\.isHexDigit)
        return stride(from: 0, to: digits.count, by: 2).compactMap { offset in
            let start = digits.index(digits.startIndex, offsetBy: offset)
            return UInt8(digits[start..<digits.index(start, offsetBy: 2)], radix: 16)
        }
    }

    static let request = hex(
        """
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)

    static let response = hex(
        """
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)

    static let password = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)

    @Test func theSampleRequestParsesAndItsIntegrityAndFingerprintCheck() throws {
        let message = try STUNMessage(parsing: Self.request)
        #expect(message.messageClass == .request)
        #expect(message.username == "evtj:h6vY")
        #expect(message.priority == 0x6E00_01FF)
        #expect(message.tieBreaker(STUNMessage.Attribute.iceControlled) == 0x932F_F9B1_5126_3B36)
        #expect(STUNMessage.fingerprintIsValid(Self.request))
        #expect(STUNMessage.integrityIsValid(Self.request, key: Self.password))
        #expect(!STUNMessage.integrityIsValid(Self.request, key: Array("wrong".utf8)))
        var tampered = Self.request
        tampered[30] ^= 1
        #expect(!STUNMessage.fingerprintIsValid(tampered))
        #expect(!STUNMessage.integrityIsValid(tampered, key: Self.password))
    }

    @Test func theSampleResponseCarriesItsMappedAddress() throws {
        let message = try STUNMessage(parsing: Self.response)
        #expect(message.messageClass == .success)
        #expect(message.mappedAddress == (try SocketAddress(ipAddress: "192.0.2.1", port: 32853)))
        #expect(STUNMessage.integrityIsValid(Self.response, key: Self.password))
        #expect(STUNMessage.fingerprintIsValid(Self.response))
    }

    @Test func whatWeEncodeIsWhatTheVectorsSay() throws {
        // Re-encoding the sample's attributes (padding with zeros, where the vector pads with
        // spaces) gives a message our checks and the parser agree on.
        var message = try STUNMessage(parsing: Self.request)
        message.attributes.removeAll {
            $0.type == STUNMessage.Attribute.messageIntegrity || $0.type == STUNMessage.Attribute.fingerprint
        }
        let encoded = message.encoded(integrityKey: Self.password)
        #expect(encoded.count == Self.request.count)
        #expect(STUNMessage.integrityIsValid(encoded, key: Self.password))
        #expect(STUNMessage.fingerprintIsValid(encoded))
        #expect(try STUNMessage(parsing: encoded).username == "evtj:h6vY")
        // XOR-MAPPED-ADDRESS both ways, IPv6 included.
        for text in ["192.0.2.1", "2001:db8:1234:5678:11:2233:4455:6677"] {
            let address = try SocketAddress(ipAddress: text, port: 32853)
            var response = STUNMessage(.success)
            response.add(STUNMessage.Attribute.xorMappedAddress, try #require(response.xorAddress(address)))
            let parsed = try STUNMessage(parsing: response.encoded(integrityKey: nil))
            #expect(parsed.mappedAddress == address)
        }
    }

    @Test func mutatedDatagramsNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        var parsed = 0
        for round in 0..<20_000 {
            var bytes = round % 2 == 0 ? Self.request : Self.response
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 7 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator))) }
            if let message = try? STUNMessage(parsing: bytes) {
                parsed += 1
                _ = message.mappedAddress
                _ = message.username
                _ = message.errorCode
            }
            _ = STUNMessage.integrityIsValid(bytes, key: Self.password)
            _ = STUNMessage.fingerprintIsValid(bytes)
        }
        #expect(parsed > 0)
    }
}
