/// Any URI a SIP message can carry: SIP/SIPS, tel (RFC 3966), or another absolute URI kept
/// opaque, so an unknown scheme can be parsed and answered 416 instead of breaking the parser.
public enum URI: Sendable, Hashable, CustomStringConvertible {
    case sip(SIPURI)
    case tel(TelURI)
    case other(scheme: String, opaque: String)

    public init(parsing text: some StringProtocol) throws {
        self = try Scanner.scan(text) { try URI.scan($0.buffer) }
    }

    /// Reads a whole URI from its bytes (a header's `<…>`), with no string made of it first.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws -> URI {
        var scanner = Scanner(bytes)
        let schemeRange = scanner.scan(while: .scheme)
        guard !schemeRange.isEmpty, let first = scanner.bytes(schemeRange).first,
            SIPGrammar.is(first, .alphanum), !SIPGrammar.is(first, .digit),
            scanner.consume(UInt8(ascii: ":"))
        else { throw SIPParseError("invalid URI \(scanner.string(0..<bytes.count)): expected scheme ':'") }
        let scheme = scanner.string(schemeRange).asciiLowercased
        switch scheme {
        case "sip", "sips":
            return .sip(try SIPURI.scanAfterScheme(&scanner, secure: scheme == "sips"))
        case "tel":
            return .tel(try TelURI.scanAfterScheme(&scanner))
        default:
            let rest = scanner.scan(until: {
                $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                    || $0 == UInt8(ascii: "\"")
            })
            guard !rest.isEmpty, scanner.isAtEnd else { throw SIPParseError("invalid \(scheme) URI") }
            return .other(scheme: scheme, opaque: scanner.string(rest))
        }
    }

    public var scheme: String {
        switch self {
        case .sip(let uri): return uri.scheme
        case .tel: return "tel"
        case .other(let scheme, _): return scheme
        }
    }

    /// The SIP URI, when this is one.
    public var sipURI: SIPURI? {
        if case .sip(let uri) = self { return uri }
        return nil
    }

    public var description: String {
        switch self {
        case .sip(let uri): return uri.description
        case .tel(let uri): return uri.description
        case .other(let scheme, let opaque): return scheme + ":" + opaque
        }
    }
}

/// A `tel:` URI: the number as written (visual separators kept) and its parameters.
public struct TelURI: Sendable, Hashable, CustomStringConvertible {
    public var number: String
    public var parameters: Parameters

    public init(number: String, parameters: Parameters = []) {
        self.number = number
        self.parameters = parameters
    }

    /// True for a global number (`+` followed by digits).
    public var isGlobal: Bool { number.hasPrefix("+") }

    /// The digits with visual separators (`-.()`) removed.
    public var digits: String { String(number.filter { !"-.() ".contains($0) }) }

    static func scanAfterScheme(_ scanner: inout Scanner) throws -> TelURI {
        let allowed = "0123456789abcdefABCDEF+-.()*#pPwW"
        let range = scanner.scan(until: { $0 == UInt8(ascii: ";") })
        let number = scanner.string(range)
        guard !number.isEmpty, number.allSatisfy({ allowed.contains($0) }) else {
            throw SIPParseError("invalid telephone number '\(number)' in tel URI")
        }
        let parameters = try Parameters.scanURIParameters(&scanner)
        guard scanner.isAtEnd else { throw scanner.unexpected(expecting: "end of tel URI") }
        return TelURI(number: number, parameters: parameters)
    }

    public var description: String {
        var out = "tel:" + number
        parameters.writeURIParameters(into: &out)
        return out
    }
}
