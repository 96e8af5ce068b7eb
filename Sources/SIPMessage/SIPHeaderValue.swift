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
    static func split(_ value: Substring) throws -> [Substring] {
        var parts: [Substring] = []
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        var start = value.startIndex
        var index = value.startIndex
        let utf8 = value.utf8
        var u = utf8.startIndex
        while u != utf8.endIndex {
            let byte = utf8[u]
            if escaped {
                escaped = false
            } else if inQuotes {
                if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inQuotes = false }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: "<") {
                inBrackets = true
            } else if byte == UInt8(ascii: ">") {
                inBrackets = false
            } else if byte == UInt8(ascii: ","), !inBrackets {
                index = u
                parts.append(value[start..<index])
                start = utf8.index(after: u)
            }
            u = utf8.index(after: u)
        }
        parts.append(value[start..<value.endIndex])
        if parts.count == 1 && parts[0].allSatisfy({ $0 == " " || $0 == "\t" }) { return [] }
        for part in parts where part.allSatisfy({ $0 == " " || $0 == "\t" }) {
            throw SIPParseError("empty element in comma-separated list")
        }
        return parts
    }
}
