/// A name-addr or addr-spec with header parameters: the value of From, To, Contact, Route,
/// Record-Route, Refer-To, Referred-By. Display names are written quoted and escaped the way
/// JsSIP writes them, so `Alice ¶€ĸøĸø` and names with quotes survive a round trip.
public struct NameAddress: Sendable, Hashable, CustomStringConvertible {
    /// Decoded display name; nil when there is none.
    public var displayName: String?
    public var uri: URI
    /// Header parameters (after `>`, or after an addr-spec), such as `tag` or `expires`.
    public var parameters: Parameters

    public init(displayName: String? = nil, uri: URI, parameters: Parameters = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    public init(displayName: String? = nil, uri: SIPURI, parameters: Parameters = []) {
        self.init(displayName: displayName, uri: .sip(uri), parameters: parameters)
    }

    public var tag: String? { parameters["tag"] }

    public init(parsing text: some StringProtocol) throws {
        self = try Scanner.scan(text) { scanner in
            let value = try NameAddress.scan(&scanner)
            try scanner.expectEnd("address")
            return value
        }
    }

    /// Reads one name-addr or addr-spec and its parameters, stopping before `,` or the end.
    static func scan(_ scanner: inout Scanner) throws -> NameAddress {
        scanner.skipWhitespace()
        var displayName: String?
        if scanner.peek == UInt8(ascii: "\"") {
            displayName = try scanner.quotedString()
            scanner.skipWhitespace()
            guard scanner.peek == UInt8(ascii: "<") else {
                throw scanner.unexpected(expecting: "'<' after the display name")
            }
        } else if scanner.peek != UInt8(ascii: "<") {
            // Either a token display name followed by '<', or a bare addr-spec.
            let start = scanner.position
            var words: [String] = []
            while let word = scanner.token() {
                words.append(word)
                scanner.skipWhitespace()
            }
            if scanner.peek == UInt8(ascii: "<") {
                displayName = words.joined(separator: " ")
            } else if words.count > 1 || (words.count == 1 && scanner.peek != UInt8(ascii: ":")) {
                throw SIPParseError(
                    "display name '\(scanner.string(start..<scanner.position).trimmingWhitespace)' must be quoted"
                        + (scanner.peek.map { " (found '\(Character(Unicode.Scalar($0)))')" } ?? ""))
            } else {
                scanner.position = start
                let range = scanner.scan(until: {
                    $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") || SIPGrammar.isWhitespace($0)
                })
                let bytes = scanner.bytes(range)
                if bytes.contains(UInt8(ascii: "?")) {
                    throw SIPParseError("a URI with headers must be enclosed in '<' '>'")
                }
                let uri = try URI.scan(bytes)
                return NameAddress(uri: uri, parameters: try Parameters.scanHeaderParameters(&scanner))
            }
        }
        try scanner.expect(UInt8(ascii: "<"), "'<'")
        let range = scanner.scan(until: { $0 == UInt8(ascii: ">") })
        guard scanner.consume(UInt8(ascii: ">")) else { throw SIPParseError("missing '>' after URI") }
        let inner = scanner.bytes(range)
        if let first = inner.first, let last = inner.last,
            SIPGrammar.isWhitespace(first) || SIPGrammar.isWhitespace(last)
        {
            throw SIPParseError("whitespace inside '<' '>' around the URI")
        }
        let uri = try URI.scan(inner)
        return NameAddress(
            displayName: displayName, uri: uri, parameters: try Parameters.scanHeaderParameters(&scanner))
    }

    public var description: String {
        var out = ""
        if let displayName {
            Quoting.writeQuoted(displayName, into: &out)
            out += " "
        }
        out += "<" + uri.description + ">"
        parameters.writeHeaderParameters(into: &out)
        return out
    }
}
