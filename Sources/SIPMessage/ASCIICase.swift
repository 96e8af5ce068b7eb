extension StringProtocol {
    /// The text with its ASCII capitals in lower case. SIP's case-insensitive names, schemes and
    /// tokens are ASCII, so this skips Unicode's case tables, and the copy when nothing changes.
    public var asciiLowercased: String {
        guard utf8.contains(where: ASCIICase.isCapital) else { return String(self) }
        return ASCIICase.lowercasedString(utf8)
    }

    /// The text with its ASCII small letters in capitals (a Via transport), copied only when
    /// something changes.
    public var asciiUppercased: String {
        guard utf8.contains(where: ASCIICase.isSmall) else { return String(self) }
        return String(decoding: utf8.map(ASCIICase.upper), as: UTF8.self)
    }

    /// Equal but for the case of ASCII letters; neither string is copied.
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8) { ASCIICase.lower($0) == ASCIICase.lower($1) }
    }
}

enum ASCIICase {
    @inline(__always) static func isCapital(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { isCapital(byte) ? byte | 0x20 : byte }
    @inline(__always) static func isSmall(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func upper(_ byte: UInt8) -> UInt8 { isSmall(byte) ? byte & 0xDF : byte }

    /// The bytes as text with ASCII capitals in lower case (callers that found none copy as is).
    static func lowercasedString(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.map(lower), as: UTF8.self)
    }
}
