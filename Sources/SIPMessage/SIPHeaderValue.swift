/// A typed header value: reads one value (one element of a comma list) and writes it back.
/// `KnownHeader.valueType` maps each header to its conforming type.
public protocol SIPHeaderValue: Sendable, CustomStringConvertible {
    init(parsing text: Substring) throws
    /// The value's parts, for `sipterm inspect` and logs.
    var structure: Structure { get }
}

/// A neutral tree of values that `inspect` renders as JSON or as text.
public indirect enum Structure: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([Structure])
    case object([Field])

    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: Structure
        public init(_ key: String, _ value: Structure) {
            self.key = key
            self.value = value
        }
    }

    /// An object from key/value pairs, leaving out nil values.
    static func fields(_ pairs: [(String, Structure?)]) -> Structure {
        .object(pairs.compactMap { key, value in value.map { Field(key, $0) } })
    }

    static func parameters(_ parameters: Parameters) -> Structure {
        .object(parameters.map { Field($0.name, $0.value.map(Structure.string) ?? .bool(true)) })
    }
}

/// Splits a header field value at the commas that separate list elements, leaving commas
/// inside quoted strings and angle brackets alone. An empty element is an error.
enum HeaderList {
    /// The comma-separated elements of a list header's value (commas inside quotes and `<>`
    /// do not count). A value of only whitespace has none; an empty element among others is
    /// an error.
    static func split(_ value: Substring) throws -> [Substring] {
        var parts: [Substring] = []
        try forEach(value) { parts.append($0) }
        return parts
    }

    /// Calls `body` with each element in order.
    static func forEach(_ value: Substring, _ body: (Substring) throws -> Void) throws {
        try forEach(
            value,
            while: { element in
                try body(element)
                return true
            })
    }

    /// The first element. The rest is not read: a header sipterm acts on by its first value (the
    /// top Via) is strict there and echoes the others verbatim, whatever they hold.
    static func first(_ value: Substring) throws -> Substring? {
        var first: Substring?
        try forEach(
            value,
            while: { element in
                first = element
                return false
            })
        return first
    }

    /// Calls `body` with each element in order until it returns false, in one pass over the bytes
    /// (indexing the bytes of a Substring one by one cost more than the scan itself).
    static func forEach(_ value: Substring, while body: (Substring) throws -> Bool) throws {
        let utf8 = value.utf8
        let scanned: Void? = try utf8.withContiguousStorageIfAvailable { bytes in
            var inQuotes = false
            var inBrackets = false
            var escaped = false
            var blank = true
            var start = utf8.startIndex
            var elements = 0
            for offset in 0..<bytes.count {
                let byte = bytes[offset]
                if escaped {
                    escaped = false
                } else if inQuotes {
                    if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inQuotes = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes = true
                } else if byte == UInt8(ascii: "<") {
                    inBrackets = true
                } else if byte == UInt8(ascii: ">") {
                    inBrackets = false
                } else if byte == UInt8(ascii: ","), !inBrackets {
                    guard !blank else { throw SIPParseError("empty element in comma-separated list") }
                    let end = utf8.index(utf8.startIndex, offsetBy: offset)
                    guard try body(value[start..<end]) else { return }
                    start = utf8.index(after: end)
                    elements += 1
                    blank = true
                    continue
                }
                if byte != 0x20 && byte != 0x09 { blank = false }
            }
            if blank {
                // Only whitespace is no element; whitespace after a comma is an empty one.
                if elements > 0 { throw SIPParseError("empty element in comma-separated list") }
                return
            }
            _ = try body(value[start..<value.endIndex])
        }
        if scanned == nil {
            // Not stored contiguously (bridged text): the same scan on a native copy.
            try forEach(Substring(String(value)), while: body)
        }
    }
}
