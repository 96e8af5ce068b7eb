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

    static let table: [Class] = {
        var t = [Class](repeating: [], count: 256)
        func add(_ chars: String, _ c: Class) { for b in chars.utf8 { t[Int(b)].insert(c) } }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)].insert([.alphanum, .hostname, .scheme]) }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)].insert([.alphanum, .hostname, .scheme]) }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") {
            t[Int(b)].insert([.alphanum, .hostname, .digit, .hex, .scheme])
        }
        add("abcdefABCDEF", .hex)
        add("-._", .hostname)
        add("+-.", .scheme)
        for i in 0..<256 where t[i].contains(.alphanum) { t[i].insert([.token, .unreserved, .word]) }
        add("-.!%*_+`'~", .token)
        add("-_.!~*'()", .unreserved)
        add("&=+$,;?/", .userExtra)
        add("&=+$,", .passwordExtra)
        add("[]/:&+$", .paramExtra)
        add("[]/?:+$", .headerExtra)
        add(":[]/", .paramValueExtra)
        add("-.!%*_+`'~()<>:\\\"/[]?{}", .word)
        return t
    }()

    @inline(__always)
    static func `is`(_ byte: UInt8, _ c: Class) -> Bool { table[Int(byte)].rawValue & c.rawValue != 0 }

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
