import COpenSSL
import NIOCore

/// A STUN message (RFC 8489) as ICE uses it: Binding requests, responses and indications with
/// short-term credentials. Parsing never traps: a datagram that is not well-formed STUN throws.
struct STUNMessage: Equatable {
    enum Class: UInt16 {
        case request = 0x0000
        case indication = 0x0010
        case success = 0x0100
        case error = 0x0110
    }

    /// Attribute types sipterm reads or writes.
    enum Attribute {
        static let mappedAddress: UInt16 = 0x0001
        static let username: UInt16 = 0x0006
        static let messageIntegrity: UInt16 = 0x0008
        static let errorCode: UInt16 = 0x0009
        static let xorMappedAddress: UInt16 = 0x0020
        static let priority: UInt16 = 0x0024
        static let useCandidate: UInt16 = 0x0025
        static let software: UInt16 = 0x8022
        static let fingerprint: UInt16 = 0x8028
        static let iceControlled: UInt16 = 0x8029
        static let iceControlling: UInt16 = 0x802A
    }

    static let binding: UInt16 = 0x0001
    static let magicCookie: UInt32 = 0x2112_A442

    var method: UInt16 = binding
    var messageClass: Class
    var transactionID: [UInt8]
    var attributes: [(type: UInt16, value: [UInt8])] = []
    /// Where MESSAGE-INTEGRITY starts in the parsed datagram, for checking it.
    private(set) var integrityOffset: Int?

    init(_ messageClass: Class, transactionID: [UInt8] = STUNMessage.newTransactionID()) {
        self.messageClass = messageClass
        self.transactionID = transactionID
    }

    static func newTransactionID() -> [UInt8] { (0..<12).map { _ in UInt8.random(in: 0...255) } }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.messageClass == rhs.messageClass && lhs.transactionID == rhs.transactionID
            && lhs.attributes.map(\.type) == rhs.attributes.map(\.type)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    /// Parses a datagram; throws for anything that is not one whole STUN message.
    init(parsing bytes: [UInt8]) throws(STUNError) {
        guard bytes.count >= 20, bytes[0] & 0xC0 == 0 else {
            throw STUNError("not STUN: too short or wrong first bits")
        }
        let type = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let length = Int(UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        guard length % 4 == 0, length + 20 == bytes.count else {
            throw STUNError("STUN: length \(length) does not fit")
        }
        guard bytes[4..<8].elementsEqual([0x21, 0x12, 0xA4, 0x42]) else { throw STUNError("STUN: no magic cookie") }
        guard let messageClass = Class(rawValue: type & 0x0110) else { throw STUNError("STUN: bad class") }
        self.messageClass = messageClass
        method = (type & 0x000F) | (type & 0x00E0) >> 1 | (type & 0x3E00) >> 2
        transactionID = Array(bytes[8..<20])
        var offset = 20
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw STUNError("STUN: truncated attribute header") }
            let attribute = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let size = Int(UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3]))
            let end = offset + 4 + size
            guard end <= bytes.count else {
                throw STUNError("STUN: attribute 0x\(String(attribute, radix: 16)) overruns")
            }
            if attribute == Attribute.messageIntegrity { integrityOffset = offset }
            attributes.append((attribute, Array(bytes[offset + 4..<end])))
            offset = end + (4 - size % 4) % 4
        }
    }

    func value(_ type: UInt16) -> [UInt8]? { attributes.first { $0.type == type }?.value }

    func has(_ type: UInt16) -> Bool { attributes.contains { $0.type == type } }

    mutating func add(_ type: UInt16, _ value: [UInt8]) { attributes.append((type, value)) }

    /// The datagram: attributes, then MESSAGE-INTEGRITY with `integrityKey` (the short-term
    /// password) when given, then FINGERPRINT.
    func encoded(integrityKey: [UInt8]?) -> [UInt8] {
        let type = (method & 0x000F) | (method & 0x0070) << 1 | (method & 0x0F80) << 2 | messageClass.rawValue
        var out: [UInt8] = [UInt8(type >> 8), UInt8(type & 0xFF), 0, 0, 0x21, 0x12, 0xA4, 0x42] + transactionID
        for (attribute, value) in attributes { Self.append(attribute, value, to: &out) }
        if let integrityKey {
            Self.setLength(&out, adding: 24)
            Self.append(Attribute.messageIntegrity, Self.hmacSHA1(key: integrityKey, out), to: &out)
        }
        Self.setLength(&out, adding: 8)
        let crc = CRC32.checksum(out) ^ 0x5354_554E
        Self.append(Attribute.fingerprint, Self.bigEndian(crc), to: &out)
        return out
    }

    /// Whether the parsed datagram's MESSAGE-INTEGRITY is right for `key`.
    static func integrityIsValid(_ bytes: [UInt8], key: [UInt8]) -> Bool {
        guard let message = try? STUNMessage(parsing: bytes), let offset = message.integrityOffset,
            let given = message.value(Attribute.messageIntegrity), given.count == 20
        else { return false }
        var covered = Array(bytes[0..<offset])
        let length = offset + 24 - 20
        covered[2] = UInt8(length >> 8)
        covered[3] = UInt8(length & 0xFF)
        return hmacSHA1(key: key, covered) == given
    }

    /// Whether the datagram ends with a right FINGERPRINT.
    static func fingerprintIsValid(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 28, bytes[bytes.count - 8] == 0x80, bytes[bytes.count - 7] == 0x28 else { return false }
        let crc = CRC32.checksum(bytes[0..<bytes.count - 8]) ^ 0x5354_554E
        return Array(bytes[(bytes.count - 4)...]) == bigEndian(crc)
    }

    // MARK: Attribute values

    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2) for `address`.
    func xorAddress(_ address: SocketAddress) -> [UInt8]? {
        guard let port = address.port else { return nil }
        let xport = UInt16(truncatingIfNeeded: port) ^ 0x2112
        let cookie = Self.bigEndian(Self.magicCookie)
        switch address {
        case .v4(let v4):
            let ip = Self.bigEndian(UInt32(bigEndian: v4.address.sin_addr.s_addr))
            return [0, 1, UInt8(xport >> 8), UInt8(xport & 0xFF)] + zip(ip, cookie).map { $0 ^ $1 }
        case .v6(let v6):
            let ip = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let mask = cookie + transactionID
            return [0, 2, UInt8(xport >> 8), UInt8(xport & 0xFF)] + zip(ip, mask).map { $0 ^ $1 }
        default:
            return nil
        }
    }

    /// The XOR-MAPPED-ADDRESS (or plain MAPPED-ADDRESS) the message carries.
    var mappedAddress: SocketAddress? {
        if let value = value(Attribute.xorMappedAddress) { return decodeAddress(value, xor: true) }
        return value(Attribute.mappedAddress).flatMap { decodeAddress($0, xor: false) }
    }

    private func decodeAddress(_ value: [UInt8], xor: Bool) -> SocketAddress? {
        guard value.count >= 8 else { return nil }
        let mask = Self.bigEndian(Self.magicCookie) + transactionID
        var port = UInt16(value[2]) << 8 | UInt16(value[3])
        if xor { port ^= 0x2112 }
        switch value[1] {
        case 1:
            let ip = (0..<4).map { value[4 + $0] ^ (xor ? mask[$0] : 0) }
            return try? SocketAddress(ipAddress: ip.map(String.init).joined(separator: "."), port: Int(port))
        case 2 where value.count >= 20:
            let ip = (0..<16).map { value[4 + $0] ^ (xor ? mask[$0] : 0) }
            let groups = stride(from: 0, to: 16, by: 2).map {
                String(UInt16(ip[$0]) << 8 | UInt16(ip[$0 + 1]), radix: 16)
            }
            return try? SocketAddress(ipAddress: groups.joined(separator: ":"), port: Int(port))
        default:
            return nil
        }
    }

    var username: String? { value(Attribute.username).map { String(decoding: $0, as: UTF8.self) } }

    var priority: UInt32? {
        guard let value = value(Attribute.priority), value.count == 4 else { return nil }
        return value.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// ICE-CONTROLLING's or ICE-CONTROLLED's tie-breaker.
    func tieBreaker(_ type: UInt16) -> UInt64? {
        guard let value = value(type), value.count == 8 else { return nil }
        return value.reduce(0) { $0 << 8 | UInt64($1) }
    }

    var errorCode: Int? {
        guard let value = value(Attribute.errorCode), value.count >= 4 else { return nil }
        return Int(value[2] & 0x07) * 100 + Int(value[3])
    }

    static func errorValue(_ code: Int, _ reason: String) -> [UInt8] {
        [0, 0, UInt8(code / 100), UInt8(code % 100)] + Array(reason.utf8)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        bigEndian(UInt32(value >> 32)) + bigEndian(UInt32(value & 0xFFFF_FFFF))
    }

    private static func append(_ type: UInt16, _ value: [UInt8], to out: inout [UInt8]) {
        out += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        out += [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
        setLength(&out, adding: 0)
    }

    /// Sets the header's length to the body so far plus `adding`.
    private static func setLength(_ out: inout [UInt8], adding: Int) {
        let length = out.count - 20 + adding
        out[2] = UInt8(length >> 8 & 0xFF)
        out[3] = UInt8(length & 0xFF)
    }

    static func hmacSHA1(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 20
        _ = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                HMAC(
                    EVP_sha1(), keyBytes.baseAddress, Int32(keyBytes.count),
                    dataBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), dataBytes.count, &digest, &length)
            }
        }
        return digest
    }
}

/// Why a datagram is not usable STUN.
struct STUNError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
