import SIPMessage

/// Where one socket connects: `ws://host[:port][/path]`, `wss://…`, and sipterm's extensions
/// `udp://host[:port]`, `tcp://…`, `tls://…`. A `sip:host[:port];transport=tcp` URI is accepted
/// too (`sips:` means TLS), so a server's address can be pasted as SIP users write it. A host
/// name is looked up as RFC 3263 says (`ServerLocator`): what the URL leaves out, DNS decides.
public struct SocketURL: Sendable, Hashable, CustomStringConvertible {
    /// The transport; for a SIP URI without `;transport=`, UDP (TLS for `sips:`) until NAPTR
    /// says otherwise.
    public var kind: TransportKind
    public var host: Host
    /// The port written, else the transport's default.
    public var port: Int
    /// The HTTP path of a WebSocket URL (`/` when absent); empty for other transports.
    public var path: String
    /// False when no port was written: SRV records may name it.
    public var portGiven: Bool
    /// False for a `sip:`/`sips:` URI without `;transport=`: NAPTR records may choose it.
    public var transportGiven: Bool

    public init(kind: TransportKind, host: Host, port: Int? = nil, path: String = "", transportGiven: Bool = true) {
        self.kind = kind
        self.host = host
        self.port = port ?? kind.defaultPort
        self.path = kind.isWebSocket && path.isEmpty ? "/" : path
        self.portGiven = port != nil
        self.transportGiven = transportGiven
    }

    /// This socket as connected to `target`: its transport and port, the same host name.
    public func resolved(to target: ServerTarget) -> SocketURL {
        var url = self
        url.kind = target.kind
        url.port = target.port
        return url
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var url: String
        public var reason: String
        public var description: String { "invalid socket URL '\(url)': \(reason)" }
    }

    public init(parsing text: String) throws(Invalid) {
        let trimmed = text.trimmingWhitespace
        if trimmed.lowercased().hasPrefix("sip:") || trimmed.lowercased().hasPrefix("sips:") {
            self = try Self.fromSIPURI(trimmed)
            return
        }
        guard let schemeEnd = trimmed.firstRange(of: "://") else {
            throw Invalid(url: text, reason: "expected scheme://host[:port] (ws, wss, udp, tcp, tls)")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard let kind = TransportKind(rawValue: scheme) else {
            throw Invalid(url: text, reason: "unknown scheme '\(scheme)' (ws, wss, udp, tcp, tls)")
        }
        var rest = trimmed[schemeEnd.upperBound...]
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
            guard kind.isWebSocket else { throw Invalid(url: text, reason: "a \(scheme) URL has no path") }
        }
        guard !rest.isEmpty else { throw Invalid(url: text, reason: "no host") }
        guard !rest.contains("@") else { throw Invalid(url: text, reason: "user information is not allowed") }
        let host: Host
        var port: Int?
        do {
            var hostText = Substring(rest)
            if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]") {
                let portText = rest[rest.index(after: colon)...]
                guard let value = Int(portText), (1...65535).contains(value) else {
                    throw Invalid(url: text, reason: "invalid port '\(portText)'")
                }
                port = value
                hostText = rest[..<colon]
            }
            host = try Host(parsing: hostText)
        } catch let error as Invalid {
            throw error
        } catch {
            throw Invalid(url: text, reason: "invalid host: \(error)")
        }
        self.init(kind: kind, host: host, port: port, path: path)
    }

    private static func fromSIPURI(_ text: String) throws(Invalid) -> SocketURL {
        let uri: SIPURI
        do {
            uri = try SIPURI(parsing: text)
        } catch {
            throw Invalid(url: text, reason: "\(error)")
        }
        guard uri.user == nil else { throw Invalid(url: text, reason: "a server URI has no user part") }
        let kind: TransportKind
        switch (uri.isSecure, uri.transport) {
        case (true, nil), (true, "tcp"), (_, "tls"): kind = .tls
        case (false, nil), (false, "udp"): kind = .udp
        case (false, "tcp"): kind = .tcp
        case (false, "ws"): kind = .ws
        case (_, "wss"): kind = .wss
        default: throw Invalid(url: text, reason: "unsupported transport '\(uri.transport ?? "")'")
        }
        return SocketURL(
            kind: kind, host: uri.host, port: uri.port.map(Int.init), transportGiven: uri.transport != nil)
    }

    /// The URL as written back: a SIP URI stays one when DNS is to choose its transport; a
    /// port is shown when given (and always on UDP/TCP/TLS to an IP address).
    public var description: String {
        if !transportGiven {
            return "\(kind.isSecure ? "sips" : "sip"):\(host)" + (portGiven ? ":\(port)" : "")
        }
        var text = "\(kind.rawValue)://\(host)"
        if kind.isWebSocket ? port != kind.defaultPort : portGiven || host.isIPAddress { text += ":\(port)" }
        if kind.isWebSocket && path != "/" { text += path }
        return text
    }

    /// The socket as a SIP URI with `;lr` — JsSIP's `sip_uri`, used as the preloaded Route. A
    /// port left to DNS stays out, so the URI resolves as the socket did.
    public var sipURI: SIPURI {
        var uri = SIPURI(host: host, port: portGiven || host.isIPAddress ? UInt16(port) : nil)
        uri.parameters.set("transport", kind.uriParameter)
        uri.parameters.set("lr")
        return uri
    }
}
