/// Call-ID: `word [ "@" word ]`, compared byte for byte.
public struct CallID: SIPHeaderValue, Hashable {
    public var value: String

    public init(_ value: String) { self.value = value }

    public init(parsing text: Substring) throws {
        let value = text.trimmingWhitespace
        // word [ "@" word ]: one pass over the bytes.
        var ats = 0
        var partLength = 0
        var valid = true
        for byte in value.utf8 {
            if byte == UInt8(ascii: "@") {
                ats += 1
                valid = valid && partLength > 0
                partLength = 0
            } else {
                valid = valid && SIPGrammar.is(byte, .word)
                partLength += 1
            }
        }
        guard valid, partLength > 0, ats <= 1 else { throw SIPParseError("invalid Call-ID '\(value)'") }
        self.value = value
    }

    public var description: String { value }
    public var structure: Structure { .string(value) }
}

/// A whole number that must fit 32 bits: Content-Length, Max-Forwards, RSeq.
public struct DecimalValue: SIPHeaderValue, Hashable {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(parsing text: Substring) throws {
        value = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let number = try scanner.number("number", limit: UInt64(UInt32.max))
            try scanner.expectEnd("number")
            return UInt32(number)
        }
    }

    public var description: String { String(value) }
    public var structure: Structure { .int(Int(value)) }
}

/// delta-seconds (Expires, Min-Expires): values past 2^32-1 are taken as 2^32-1, as RFC 3261
/// §20.19 asks, rather than rejected.
public struct DeltaSeconds: SIPHeaderValue, Hashable {
    public var seconds: UInt32

    public init(_ seconds: UInt32) { self.seconds = seconds }

    public init(parsing text: Substring) throws {
        seconds = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let number = try scanner.saturatingNumber("delta-seconds", limit: UInt64(UInt32.max))
            try scanner.expectEnd("delta-seconds")
            return UInt32(number)
        }
    }

    public var description: String { String(seconds) }
    public var structure: Structure { .int(Int(seconds)) }
}

/// Free text kept as written: User-Agent, Server, Subject, Organization.
public struct TextValue: SIPHeaderValue, Hashable {
    public var text: String

    public init(_ text: String) { self.text = text }
    public init(parsing text: Substring) throws { self.text = String(text).trimmingWhitespace }

    public var description: String { text }
    public var structure: Structure { .string(text) }
}

/// One option tag or method token of Supported, Require, Allow and their kin.
public struct OptionTag: SIPHeaderValue, Hashable {
    public var value: String

    public init(_ value: String) { self.value = value }

    public init(parsing text: Substring) throws {
        let value = String(text).trimmingWhitespace
        guard SIPGrammar.isToken(value) else { throw SIPParseError("invalid token '\(value)'") }
        self.value = value
    }

    public var description: String { value }
    public var structure: Structure { .string(value) }
}
