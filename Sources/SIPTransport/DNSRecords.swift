/// A NAPTR record (RFC 3403) as RFC 3263 §4.1 reads it: `service` names the SIP transport
/// (`SIP+D2U`, `SIP+D2T`, `SIPS+D2T`), `replacement` the SRV name to look up next.
public struct NAPTRRecord: Sendable, Hashable {
    public var order: Int
    public var preference: Int
    public var flags: String
    public var service: String
    public var regexp: String
    public var replacement: String

    public init(order: Int, preference: Int, flags: String, service: String, regexp: String, replacement: String) {
        self.order = order
        self.preference = preference
        self.flags = flags
        self.service = service
        self.regexp = regexp
        self.replacement = replacement
    }
}

/// An SRV record (RFC 2782).
public struct SRVRecord: Sendable, Hashable {
    public var priority: Int
    public var weight: Int
    public var port: Int
    public var target: String

    public init(priority: Int, weight: Int, port: Int, target: String) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }
}

/// A lookup that could not be answered: the server failed, timed out or could not be reached.
/// A name or record type that does not exist is not an error: the lookup returns nothing.
public struct DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var type: String
    public var reason: String

    public init(name: String, type: String, reason: String) {
        self.name = name
        self.type = type
        self.reason = reason
    }

    public var description: String { "\(type) \(name): \(reason)" }
}

/// The three questions RFC 3263 asks of DNS.
public protocol DNSLookup: Sendable {
    func naptr(_ name: String) async throws(DNSError) -> [NAPTRRecord]
    func srv(_ name: String) async throws(DNSError) -> [SRVRecord]
    /// The IPv6 and IPv4 addresses of `name` (the hosts file first), in RFC 6724 order.
    func addresses(_ name: String) async throws(DNSError) -> [String]
}
