import SIPMessage

/// Which DNS servers RFC 3263 lookups ask: `servers` as `address` or `address:port`
/// (`[v6]:port`); none means the system's (`/etc/resolv.conf`, and the hosts file for addresses).
public struct DNSSettings: Sendable, Equatable {
    public var servers: [String]
    /// How long one server gets to answer, and how many times each is asked.
    public var timeoutMilliseconds: Int
    public var tries: Int

    public init(servers: [String] = [], timeoutMilliseconds: Int = 2000, tries: Int = 2) {
        self.servers = servers
        self.timeoutMilliseconds = timeoutMilliseconds
        self.tries = tries
    }

    /// Checks one server entry; returns it in the form c-ares takes (an IPv6 address with a port in brackets).
    public static func normalized(_ entry: String) -> String? {
        let text = entry.trimmingWhitespace
        var address = Substring(text)
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            address = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                port = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            address = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else { return nil }
        }
        guard let host = try? Host(parsingAddress: String(address)), host.isIPAddress else { return nil }
        guard let port else { return host.address }
        return host.address.contains(":") ? "[\(host.address)]:\(port)" : "\(host.address):\(port)"
    }
}
