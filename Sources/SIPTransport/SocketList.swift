/// One entry of the `sockets` parameter: a URL and its weight (JsSIP's `{socket, weight}`).
public struct SocketEntry: Sendable, Hashable {
    public var url: SocketURL
    public var weight: Int

    public init(url: SocketURL, weight: Int = 0) {
        self.url = url
        self.weight = weight
    }

    /// A configured value as the config file or agent gives it: a URL string, or a table with
    /// `url` and optional `weight`.
    public enum Value: Sendable, Equatable {
        case url(String)
        case table(url: String?, weight: Int?)
    }

    /// Validates the whole `sockets` value; an error names `sockets` and the entry at fault.
    public static func parse(_ values: [Value]) throws(ConfigurationError) -> [SocketEntry] {
        guard !values.isEmpty else {
            throw ConfigurationError(parameter: "sockets", reason: "at least one socket is needed")
        }
        var entries: [SocketEntry] = []
        for (index, value) in values.enumerated() {
            let text: String
            var weight = 0
            switch value {
            case .url(let url): text = url
            case .table(let url, let tableWeight):
                guard let url else {
                    throw ConfigurationError(parameter: "sockets", reason: "entry \(index + 1) has no url")
                }
                text = url
                if let tableWeight {
                    guard tableWeight >= 0 else {
                        throw ConfigurationError(parameter: "sockets", reason: "entry \(index + 1): weight must be ≥ 0")
                    }
                    weight = tableWeight
                }
            }
            do {
                entries.append(SocketEntry(url: try SocketURL(parsing: text), weight: weight))
            } catch {
                throw ConfigurationError(parameter: "sockets", reason: "entry \(index + 1): \(error)")
            }
        }
        return entries
    }
}

/// A rejected configuration value, naming the parameter.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var reason: String

    public init(parameter: String, reason: String) {
        self.parameter = parameter
        self.reason = reason
    }

    public var description: String { "\(parameter): \(reason)" }
}

/// The sockets with their failure marks, and JsSIP's choice among them: among sockets not
/// marked failed the highest weight wins, ties broken uniformly at random; when every socket has
/// failed, all marks are cleared.
public struct SocketList: Sendable {
    public private(set) var entries: [SocketEntry]
    public private(set) var failed: Set<Int> = []

    public init(_ entries: [SocketEntry]) { self.entries = entries }

    /// The index of the socket to try next.
    public mutating func choose(using random: inout some RandomNumberGenerator) -> Int {
        if failed.count >= entries.count { failed.removeAll() }
        let candidates = entries.indices.filter { !failed.contains($0) }
        let best = candidates.map { entries[$0].weight }.max() ?? 0
        let top = candidates.filter { entries[$0].weight == best }
        return top.randomElement(using: &random) ?? 0
    }

    public mutating func markFailed(_ index: Int) { failed.insert(index) }

    public mutating func markHealthy(_ index: Int) { failed.remove(index) }
}
