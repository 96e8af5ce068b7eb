/// Session-Expires and Min-SE (RFC 4028): an interval in seconds with parameters; Session-Expires
/// may name the refresher.
public struct SessionInterval: SIPHeaderValue, Hashable {
    public var seconds: UInt32
    public var parameters: Parameters

    public enum Refresher: String, Sendable { case uac, uas }

    public init(_ seconds: UInt32, refresher: Refresher? = nil) {
        self.seconds = seconds
        self.parameters = []
        if let refresher { parameters.set("refresher", refresher.rawValue) }
    }

    public var refresher: Refresher? { parameters["refresher"].flatMap { Refresher(rawValue: $0.lowercased()) } }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let seconds = try scanner.saturatingNumber("interval", limit: UInt64(UInt32.max))
            var value = SessionInterval(UInt32(seconds))
            value.parameters = try Parameters.scanHeaderParameters(&scanner)
            try scanner.expectEnd("interval")
            return value
        }
    }

    public var description: String {
        var out = String(seconds)
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([
            ("seconds", .int(Int(seconds))), ("refresher", refresher.map { .string($0.rawValue) }),
            ("parameters", .parameters(parameters)),
        ])
    }
}
