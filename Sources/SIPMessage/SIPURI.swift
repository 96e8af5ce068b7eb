/// A `sip:` or `sips:` URI (RFC 3261 §19.1). Components are held decoded; writing escapes
/// exactly what each component's grammar requires, so `sip:%75ser@x` reads as user `user`.
public struct SIPURI: Sendable, Hashable, CustomStringConvertible {
    public var isSecure: Bool
    public var user: String?
    public var password: String?
    public var host: Host
    public var port: UInt16?
    public var parameters: Parameters
    /// URI headers (`?name=value&…`), decoded.
    public var headers: [Parameter]

    public init(
        secure: Bool = false, user: String? = nil, password: String? = nil, host: Host, port: UInt16? = nil,
        parameters: Parameters = [], headers: [Parameter] = []
    ) {
        self.isSecure = secure
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    public var scheme: String { isSecure ? "sips" : "sip" }

    /// Sets a URI header (`?name=value`), replacing one of that name; written escaped.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.equalsIgnoringASCIICase(name) }
        headers.append(Parameter(name, value))
    }

    /// The `transport` parameter, lower-cased.
    public var transport: String? { parameters["transport"]?.lowercased() }

    /// `host[:port]`, as in a Via sent-by or a default dialling domain.
    public var hostPort: String { port.map { "\(host):\($0)" } ?? host.description }

    public init(parsing text: some StringProtocol) throws {
        self = try Scanner.scan(text) { scanner in
            let range = scanner.scan(while: .scheme)
            guard scanner.consume(UInt8(ascii: ":")) else { throw SIPParseError("URI has no scheme") }
            let scheme = scanner.string(range).asciiLowercased
            guard scheme == "sip" || scheme == "sips" else { throw SIPParseError("not a SIP URI: scheme \(scheme)") }
            return try SIPURI.scanAfterScheme(&scanner, secure: scheme == "sips")
        }
    }

    static func scanAfterScheme(_ scanner: inout Scanner, secure: Bool) throws -> SIPURI {
        var user: String?
        var password: String?
        // A literal '@' can only end the userinfo: no other part of a SIP URI allows it unescaped.
        if let at = scanner.bytes(scanner.position..<scanner.buffer.count).firstIndex(of: UInt8(ascii: "@")) {
            let userinfo = scanner.position..<(scanner.position + at)
            let colon = scanner.bytes(userinfo).firstIndex(of: UInt8(ascii: ":"))
            let userRange = colon.map { userinfo.lowerBound..<(userinfo.lowerBound + $0) } ?? userinfo
            guard !userRange.isEmpty else { throw SIPParseError("empty user part in URI") }
            user = try PercentEncoding.decode(
                scanner.bytes(userRange), allowed: [.unreserved, .userExtra], extra: "#", what: "URI user part")
            if let colon {
                password = try PercentEncoding.decode(
                    scanner.bytes((userinfo.lowerBound + colon + 1)..<userinfo.upperBound),
                    allowed: [.unreserved, .passwordExtra], what: "URI password")
            }
            scanner.position = userinfo.upperBound + 1
        }
        let host = try Host.scan(&scanner)
        var port: UInt16?
        if scanner.consume(UInt8(ascii: ":")) {
            port = UInt16(try scanner.number("port", limit: 65535))
        }
        let parameters = try Parameters.scanURIParameters(&scanner)
        var headers: [Parameter] = []
        if scanner.consume(UInt8(ascii: "?")) {
            repeat {
                let nameRange = scanner.scan(until: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "&") })
                guard !nameRange.isEmpty else { throw SIPParseError("empty URI header name") }
                let name = try PercentEncoding.decode(
                    scanner.bytes(nameRange), allowed: [.unreserved, .headerExtra], what: "URI header name")
                try scanner.expect(UInt8(ascii: "="), "'=' after URI header \(name)")
                let valueRange = scanner.scan(until: { $0 == UInt8(ascii: "&") })
                let value = try PercentEncoding.decode(
                    scanner.bytes(valueRange), allowed: [.unreserved, .headerExtra], what: "URI header \(name)")
                headers.append(Parameter(name, value))
            } while scanner.consume(UInt8(ascii: "&"))
        }
        guard scanner.isAtEnd else { throw scanner.unexpected(expecting: "end of URI") }
        return SIPURI(
            secure: secure, user: user, password: password, host: host, port: port, parameters: parameters,
            headers: headers)
    }

    public var description: String {
        var out = scheme + ":"
        if let user {
            PercentEncoding.encode(user, allowed: [.unreserved, .userExtra], into: &out)
            if let password {
                out += ":"
                PercentEncoding.encode(password, allowed: [.unreserved, .passwordExtra], into: &out)
            }
            out += "@"
        }
        out += host.description
        if let port { out += ":\(port)" }
        parameters.writeURIParameters(into: &out)
        for (index, header) in headers.enumerated() {
            out += index == 0 ? "?" : "&"
            PercentEncoding.encode(header.name, allowed: [.unreserved, .headerExtra], into: &out)
            out += "="
            PercentEncoding.encode(header.value ?? "", allowed: [.unreserved, .headerExtra], into: &out)
        }
        return out
    }

    /// RFC 3261 §19.1.4 equivalence: user and password case-sensitive, host case-insensitive, a
    /// missing port differs from an explicit 5060, `user`/`ttl`/`method`/`maddr`/`transport` must
    /// agree when either URI has them, other parameters only when both do, headers always.
    public func isEquivalent(to other: SIPURI) -> Bool {
        guard isSecure == other.isSecure, user == other.user, password == other.password, host == other.host,
            port == other.port
        else { return false }
        let significant: Set<String> = ["user", "ttl", "method", "maddr", "transport"]
        func same(_ name: String, _ a: String?, _ b: String?) -> Bool {
            name == "method" ? a == b : a?.lowercased() == b?.lowercased()
        }
        for parameter in parameters {
            let name = parameter.name.lowercased()
            if other.parameters.contains(name) {
                guard same(name, parameter.value, other.parameters[name]) else { return false }
            } else if significant.contains(name) {
                return false
            }
        }
        for parameter in other.parameters where significant.contains(parameter.name.lowercased()) {
            guard parameters.contains(parameter.name) else { return false }
        }
        func headerSet(_ list: [Parameter]) -> [String: String] {
            Dictionary(list.map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        }
        return headerSet(headers) == headerSet(other.headers)
    }
}
