/// One Via value: `SIP/2.0/UDP host:port;branch=…`. `received` and `rport` (RFC 3581) are what a
/// UA learns its public address from.
public struct Via: SIPHeaderValue, Hashable {
    public var protocolName: String
    public var protocolVersion: String
    /// Upper-cased transport token: UDP, TCP, TLS, SCTP, WS, WSS or an extension.
    public var transport: String
    public var host: Host
    public var port: UInt16?
    public var parameters: Parameters

    /// `rport` as sent: asked for without a value, or filled in by the server.
    public enum RPort: Sendable, Hashable {
        case requested
        case port(UInt16)
    }

    public init(transport: String, host: Host, port: UInt16? = nil, parameters: Parameters = []) {
        self.protocolName = "SIP"
        self.protocolVersion = "2.0"
        self.transport = transport.asciiUppercased
        self.host = host
        self.port = port
        self.parameters = parameters
    }

    public var branch: String? { parameters["branch"] }
    public var maddr: String? { parameters["maddr"] }
    public var ttl: Int? { parameters["ttl"].flatMap { Int($0) } }

    /// The `received` address, brackets removed. Some proxies write `received=ADDRESS:PORT`;
    /// the address is taken and the port left to `rport`.
    public var received: Host? {
        guard let value = parameters["received"] else { return nil }
        if let host = try? Host(parsingAddress: value) { return host }
        guard let colon = value.lastIndex(of: ":"), UInt16(value[value.index(after: colon)...]) != nil else {
            return nil
        }
        return try? Host(parsingAddress: String(value[..<colon]))
    }

    public var rport: RPort? {
        guard parameters.contains("rport") else { return nil }
        guard let value = parameters["rport"] else { return .requested }
        return UInt16(value).map(RPort.port)
    }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let name = try scanner.expectToken("protocol name in Via")
            guard scanner.separator(UInt8(ascii: "/")) else { throw scanner.unexpected(expecting: "'/' in Via") }
            let version = try scanner.expectToken("protocol version in Via")
            guard scanner.separator(UInt8(ascii: "/")) else { throw scanner.unexpected(expecting: "'/' in Via") }
            let transport = try scanner.expectToken("transport in Via")
            scanner.skipWhitespace()
            let host = try Host.scan(&scanner)
            var port: UInt16?
            if scanner.separator(UInt8(ascii: ":")) {
                port = UInt16(try scanner.number("Via port", limit: 65535))
            }
            // Parameters are read liberally: a UA acts on its own Via's branch (which it wrote) and
            // the received/rport the server put there, and echoes every other Via verbatim.
            let parameters = try Parameters.scanHeaderParameters(&scanner, liberal: true)
            try scanner.expectEnd("Via")
            var via = Via(transport: transport, host: host, port: port, parameters: parameters)
            via.protocolName = name
            via.protocolVersion = version
            return via
        }
    }

    public var description: String {
        var out = "\(protocolName)/\(protocolVersion)/\(transport) \(host)"
        if let port { out += ":\(port)" }
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([
            ("protocol", .string("\(protocolName)/\(protocolVersion)")), ("transport", .string(transport)),
            ("host", .string(host.address)), ("port", port.map { .int(Int($0)) }),
            ("branch", branch.map(Structure.string)), ("received", received.map { .string($0.address) }),
            (
                "rport",
                rport.map {
                    switch $0 {
                    case .requested: return Structure.bool(true)
                    case .port(let port): return .int(Int(port))
                    }
                }
            ),
            ("parameters", .parameters(parameters)),
        ])
    }
}

extension NameAddress: SIPHeaderValue {
    public var structure: Structure {
        .fields([
            ("display_name", displayName.map(Structure.string)), ("uri", uri.structure),
            ("parameters", .parameters(parameters)),
        ])
    }
}

extension URI {
    public var structure: Structure {
        switch self {
        case .sip(let uri):
            return .fields([
                ("text", .string(uri.description)), ("scheme", .string(uri.scheme)),
                ("user", uri.user.map(Structure.string)),
                ("password", uri.password.map { _ in .string("***") }), ("host", .string(uri.host.address)),
                ("port", uri.port.map { .int(Int($0)) }), ("parameters", .parameters(uri.parameters)),
                ("headers", uri.headers.isEmpty ? nil : .parameters(Parameters(uri.headers))),
            ])
        case .tel(let uri):
            return .fields([
                ("text", .string(uri.description)), ("scheme", .string("tel")), ("number", .string(uri.number)),
                ("parameters", .parameters(uri.parameters)),
            ])
        case .other(let scheme, let opaque):
            return .fields([("text", .string(description)), ("scheme", .string(scheme)), ("opaque", .string(opaque))])
        }
    }
}
