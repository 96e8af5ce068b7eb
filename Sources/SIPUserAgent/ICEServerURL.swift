/// A STUN or TURN server URL (RFC 7064 `stun:host[:port]`, RFC 7065 `turn:host[:port][?transport=udp|tcp]`),
/// as JsSIP's `iceServers` name them. sipterm gathers server-reflexive candidates from `stun:`
/// servers; `stuns:` and TURN relays are accepted in the configuration and not used.
public struct ICEServerURL: Sendable, Equatable {
    public enum Scheme: String, Sendable { case stun, stuns, turn, turns }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    public var transport: String?

    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let scheme = Scheme(rawValue: parts[0].lowercased()) else { return nil }
        var rest = Substring(parts[1])
        if let query = rest.firstIndex(of: "?") {
            let parameters = rest[rest.index(after: query)...]
            rest = rest[..<query]
            for pair in parameters.split(separator: "&") where pair.lowercased().hasPrefix("transport=") {
                transport = String(pair.dropFirst("transport=".count)).lowercased()
            }
        }
        var host = String(rest)
        let defaultPort = scheme == .stuns || scheme == .turns ? 5349 : 3478
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let given = Int(after.dropFirst()), (1...65535).contains(given) else { return nil }
                port = given
            } else if !after.isEmpty {
                return nil
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let given = Int(host[host.index(after: colon)...]), (1...65535).contains(given) else { return nil }
            port = given
            host = String(host[..<colon])
        }
        guard !host.isEmpty, !host.contains("/"), !host.contains("@") else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
    }
}
