import SIPMessage

/// How requests sent on a connection name it: the Via sent-by and the Contact URI. On
/// WebSocket a browser-like client cannot know its address, so JsSIP's way is kept (a random
/// `.invalid` host and `;transport=ws`); on UDP/TCP/TLS the real local address is used and
/// `rport` (RFC 3581) is requested so the server's `received`/`rport` reveal the NAT mapping.
extension Connection {
    /// A Via for a request leaving on this connection.
    public func via(branch: String, webSocketHost: String) -> Via {
        var parameters: Parameters = [Parameter("branch", branch)]
        if kind.isWebSocket {
            return Via(transport: kind.viaTransport, host: .domain(webSocketHost), parameters: parameters)
        }
        parameters.append(Parameter("rport"))
        let (host, port) = localSentBy
        return Via(transport: kind.viaTransport, host: host, port: port, parameters: parameters)
    }

    /// A Contact URI for `user` on this connection.
    public func contactURI(user: String, webSocketHost: String) -> SIPURI {
        if kind.isWebSocket {
            var uri = SIPURI(user: user, host: .domain(webSocketHost))
            uri.parameters.set("transport", "ws")
            return uri
        }
        let (host, port) = localSentBy
        var uri = SIPURI(user: user, host: host, port: port)
        if kind != .udp { uri.parameters.set("transport", kind.uriParameter) }
        return uri
    }

    private var localSentBy: (Host, UInt16?) {
        guard let (address, port) = localAddress, let host = try? Host(parsingAddress: address) else {
            return (.ipv4(0x7F00_0001), nil)
        }
        return (host, UInt16(exactly: port))
    }

    /// JsSIP's via_host: 12 random base-32 characters under `.invalid` (RFC 7118 §5).
    public static func randomWebSocketHost() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuv0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int(generator.next() % 32)] }) + ".invalid"
    }
}

extension ReceivedMessage {
    /// The address and port the server saw this UA at, from the top Via's `received` and
    /// `rport` of a response (RFC 3581); nil when the server did not say.
    public var reflexiveAddress: (host: Host, port: UInt16?)? {
        guard let response = message.response, let top = try? response.topVia else { return nil }
        let port: UInt16?
        if case .port(let value)? = top.rport { port = value } else { port = nil }
        guard let host = top.received ?? (port != nil ? top.host : nil) else { return nil }
        return (host, port)
    }
}
