/// `type/subtype;params` of Content-Type, and one media range of Accept (`*/*` allowed).
public struct MediaType: SIPHeaderValue, Hashable {
    public var type: String
    public var subtype: String
    public var parameters: Parameters

    public init(_ type: String, _ subtype: String, parameters: Parameters = []) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    public static let sdp = MediaType("application", "sdp")
    public static let textPlain = MediaType("text", "plain")

    /// `type/subtype` in lower case, for comparisons.
    public var essence: String { "\(type)/\(subtype)".lowercased() }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let type = try scanner.expectToken("media type")
            guard scanner.separator(UInt8(ascii: "/")) else { throw scanner.unexpected(expecting: "'/' in media type") }
            let subtype = try scanner.expectToken("media subtype")
            let parameters = try Parameters.scanHeaderParameters(&scanner)
            try scanner.expectEnd("media type")
            return MediaType(type, subtype, parameters: parameters)
        }
    }

    public var description: String {
        var out = "\(type)/\(subtype)"
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([("type", .string("\(type)/\(subtype)")), ("parameters", .parameters(parameters))])
    }
}
