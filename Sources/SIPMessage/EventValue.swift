/// Event (RFC 6665): a package name with parameters such as `id`.
public struct EventValue: SIPHeaderValue, Hashable {
    public var package: String
    public var parameters: Parameters

    public init(_ package: String, parameters: Parameters = []) {
        self.package = package
        self.parameters = parameters
    }

    public var id: String? { parameters["id"] }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let package = try scanner.expectToken("event package")
            let parameters = try Parameters.scanHeaderParameters(&scanner)
            try scanner.expectEnd("Event")
            return EventValue(package, parameters: parameters)
        }
    }

    public var description: String {
        var out = package
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([
            ("package", .string(package)), ("id", id.map(Structure.string)), ("parameters", .parameters(parameters)),
        ])
    }
}

/// Subscription-State (RFC 6665): active, pending, terminated (or an extension) with
/// `expires`, `reason` and `retry-after`.
public struct SubscriptionState: SIPHeaderValue, Hashable {
    public var state: String
    public var parameters: Parameters

    public init(_ state: String, parameters: Parameters = []) {
        self.state = state
        self.parameters = parameters
    }

    public var expires: UInt32? { parameters["expires"].flatMap { UInt32($0) } }
    public var reason: String? { parameters["reason"] }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let state = try scanner.expectToken("subscription state")
            let parameters = try Parameters.scanHeaderParameters(&scanner)
            try scanner.expectEnd("Subscription-State")
            return SubscriptionState(state.lowercased(), parameters: parameters)
        }
    }

    public var description: String {
        var out = state
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([
            ("state", .string(state)), ("expires", expires.map { .int(Int($0)) }),
            ("reason", reason.map(Structure.string)), ("parameters", .parameters(parameters)),
        ])
    }
}
