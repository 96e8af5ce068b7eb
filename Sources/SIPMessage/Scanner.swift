/// A cursor over the bytes of a header value or URI. Every read is bounds-checked, so a
/// malformed input can end a scan early but never read past the buffer.
struct Scanner {
    let buffer: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    /// Runs `body` with a scanner over the UTF-8 bytes of `text`, without copying when the
    /// string is stored contiguously.
    static func scan<T>(_ text: some StringProtocol, _ body: (inout Scanner) throws -> T) throws -> T {
        if let result = try text.utf8.withContiguousStorageIfAvailable({ buffer -> T in
            var scanner = Scanner(buffer)
            return try body(&scanner)
        }) {
            return result
        }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(buffer)
            return try body(&scanner)
        }
    }

    var isAtEnd: Bool { position >= buffer.count }

    var peek: UInt8? { position < buffer.count ? buffer[position] : nil }

    func peek(at offset: Int) -> UInt8? {
        let index = position + offset
        return index >= 0 && index < buffer.count ? buffer[index] : nil
    }

    mutating func advance(_ count: Int = 1) { position = min(position + count, buffer.count) }

    /// Skips spaces and tabs (folding is already undone when a header value reaches here).
    mutating func skipWhitespace() {
        while position < buffer.count, SIPGrammar.isWhitespace(buffer[position]) { position += 1 }
    }

    /// Consumes `byte` if it is next; no whitespace is skipped.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    /// Consumes optional whitespace, `byte`, optional whitespace (the grammar's SEMI, COMMA, EQUAL,
    /// SLASH…); leaves the position untouched when `byte` is not there.
    mutating func separator(_ byte: UInt8) -> Bool {
        let start = position
        skipWhitespace()
        if consume(byte) {
            skipWhitespace()
            return true
        }
        position = start
        return false
    }

    mutating func scan(while cls: SIPGrammar.Class) -> Range<Int> {
        let start = position
        while position < buffer.count, SIPGrammar.is(buffer[position], cls) { position += 1 }
        return start..<position
    }

    mutating func scan(until stop: (UInt8) -> Bool) -> Range<Int> {
        let start = position
        while position < buffer.count, !stop(buffer[position]) { position += 1 }
        return start..<position
    }

    func string(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, buffer.count))
        let upper = max(lower, min(range.upperBound, buffer.count))
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[lower..<upper]), as: UTF8.self)
    }

    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        let lower = max(0, min(range.lowerBound, buffer.count))
        let upper = max(lower, min(range.upperBound, buffer.count))
        return UnsafeBufferPointer(rebasing: buffer[lower..<upper])
    }

    /// The rest of the input as text.
    var remainder: String { string(position..<buffer.count) }

    /// A non-empty token, or nil.
    mutating func token() -> String? {
        let range = scan(while: .token)
        return range.isEmpty ? nil : string(range)
    }

    mutating func expectToken(_ what: String) throws -> String {
        guard let token = token() else { throw unexpected(expecting: what) }
        return token
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard consume(byte) else { throw unexpected(expecting: what) }
    }

    /// A quoted-string starting at `"`; quoted-pairs are unescaped.
    mutating func quotedString() throws -> String {
        guard consume(UInt8(ascii: "\"")) else { throw unexpected(expecting: "a quoted string") }
        // Most have no escape: then the text is the bytes up to the closing quote, copied once.
        var end = position
        while end < buffer.count, buffer[end] != UInt8(ascii: "\""), buffer[end] != UInt8(ascii: "\\"),
            buffer[end] != 0x0D, buffer[end] != 0x0A
        {
            end += 1
        }
        if end < buffer.count, buffer[end] == UInt8(ascii: "\"") {
            defer { position = end + 1 }
            return string(position..<end)
        }
        var bytes: [UInt8] = []
        while let byte = peek {
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek, escaped != 0x0D, escaped != 0x0A, escaped < 0x80 else {
                    throw SIPParseError("invalid escape in quoted string")
                }
                bytes.append(escaped)
                position += 1
            case 0x0D, 0x0A:
                throw SIPParseError("line break inside quoted string")
            default:
                bytes.append(byte)
            }
        }
        throw SIPParseError("unterminated quoted string")
    }

    /// An unsigned decimal number of at most `limit`; leading zeros are allowed.
    mutating func number(_ what: String, limit: UInt64) throws -> UInt64 {
        let range = scan(while: .digit)
        guard !range.isEmpty else { throw unexpected(expecting: what) }
        var value: UInt64 = 0
        for byte in bytes(range) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= limit else {
                throw SIPParseError("\(what) \(string(range)) is larger than \(limit)")
            }
            value = sum
        }
        return value
    }

    /// A decimal number that saturates at `limit` (RFC 3261 delta-seconds).
    mutating func saturatingNumber(_ what: String, limit: UInt64) throws -> UInt64 {
        let range = scan(while: .digit)
        guard !range.isEmpty else { throw unexpected(expecting: what) }
        var value: UInt64 = 0
        for byte in bytes(range) {
            value = min(limit, value &* 10 &+ UInt64(byte - UInt8(ascii: "0")))
            if value == limit { break }
        }
        return value
    }

    /// Fails unless only whitespace remains.
    mutating func expectEnd(_ what: String) throws {
        skipWhitespace()
        guard isAtEnd else { throw unexpected(expecting: "end of \(what)") }
    }

    /// An error naming what was found where `what` was expected.
    func unexpected(expecting what: String) -> SIPParseError {
        guard let byte = peek else { return SIPParseError("expected \(what), found end of value") }
        let shown: String
        if byte >= 0x20 && byte < 0x7F {
            shown = "'\(Character(Unicode.Scalar(byte)))'"
        } else {
            shown = "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
        return SIPParseError("expected \(what), found \(shown) at column \(position + 1)")
    }
}
