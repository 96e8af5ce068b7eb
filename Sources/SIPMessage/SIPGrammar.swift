/// Byte classes of the RFC 3261 grammar, as one lookup table so that scanning a byte costs one load.
enum SIPGrammar {
    struct Class: OptionSet {
        let rawValue: UInt16
        static let alphanum = Class(rawValue: 1 << 0)
        /// RFC 3261 `token` characters.
        static let token = Class(rawValue: 1 << 1)
        /// RFC 3261 `unreserved` (alphanum / mark).
        static let unreserved = Class(rawValue: 1 << 2)
        /// `user-unreserved`: allowed unescaped in a URI user part besides `unreserved`.
        static let userExtra = Class(rawValue: 1 << 3)
        /// Characters allowed unescaped in a URI password besides `unreserved`.
        static let passwordExtra = Class(rawValue: 1 << 4)
        /// `param-unreserved`.
        static let paramExtra = Class(rawValue: 1 << 5)
        /// `hnv-unreserved`.
        static let headerExtra = Class(rawValue: 1 << 6)
        /// `word` characters (Call-ID).
        static let word = Class(rawValue: 1 << 7)
        /// Host name characters (liberal: `_` accepted as many deployments use it).
        static let hostname = Class(rawValue: 1 << 8)
        static let digit = Class(rawValue: 1 << 9)
        static let hex = Class(rawValue: 1 << 10)
        /// Scheme characters after the first letter.
        static let scheme = Class(rawValue: 1 << 11)
    }

    /// Each byte's classes (bit n is the class of raw value 1 << n), written out so the table is
    /// static data: a lazily built one cost a `swift_once` on every byte scanned. The grammar
    /// they come from is spelled out, and checked against this, in SIPGrammarTableTests.
    static let table: [UInt16] = [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0086, 0x0080, 0x0000, 0x0078, 0x0082, 0x0038, 0x0086, 0x0084, 0x0084, 0x0086, 0x08FA, 0x0018, 0x0986,
        0x0986, 0x10E8,
        0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x0F87, 0x10E0, 0x0008, 0x0080, 0x0018,
        0x0080, 0x00C8,
        0x0000, 0x0D87, 0x0D87, 0x0D87, 0x0D87, 0x0D87, 0x0D87, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987,
        0x0987, 0x0987,
        0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x10E0, 0x0080, 0x10E0,
        0x0000, 0x0186,
        0x0082, 0x0D87, 0x0D87, 0x0D87, 0x0D87, 0x0D87, 0x0D87, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987,
        0x0987, 0x0987,
        0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0987, 0x0080, 0x0000, 0x0080,
        0x0086, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000,
    ]

    @inline(__always)
    static func `is`(_ byte: UInt8, _ c: Class) -> Bool { table[Int(byte)] & c.rawValue != 0 }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// RFC 3261 token characters as a 128-bit constant mask, so the parser's hot loop does not pay
    /// for the lazily initialised class table.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        // Bytes 0-63: digits and - . ! % * + '; bytes 64-127: letters, _ ` ~.
        if byte < 64 { return (0x03FF_6CA2_0000_0000 as UInt64) >> UInt64(byte) & 1 == 1 }
        if byte < 128 { return (0x47FF_FFFF_87FF_FFFE as UInt64) >> UInt64(byte - 64) & 1 == 1 }
        return false
    }

    @inline(__always)
    static func isDigitByte(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// True when every byte of `text` is a token character and it is not empty.
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { `is`($0, .token) }
    }
}
