/// `CSeq: 9 INVITE`. The number is at most 2^32-1 (RFC 3261 §8.1.1.5); a larger one is an error,
/// never a wrapped value.
public struct CSeq: SIPHeaderValue, Hashable {
    public var number: UInt32
    public var method: SIPMethod

    public init(_ number: UInt32, _ method: SIPMethod) {
        self.number = number
        self.method = method
    }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let number = try scanner.number("CSeq number", limit: UInt64(UInt32.max))
            scanner.skipWhitespace()
            let method = try scanner.expectToken("method in CSeq")
            try scanner.expectEnd("CSeq")
            return CSeq(UInt32(number), SIPMethod(method))
        }
    }

    public var description: String { "\(number) \(method)" }

    public var structure: Structure { .fields([("number", .int(Int(number))), ("method", .string(method.name))]) }
}
