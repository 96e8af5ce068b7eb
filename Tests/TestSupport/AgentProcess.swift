import Foundation

/// `sipterm agent` driven the way a script drives it: commands written to its standard input,
/// replies and events read back from its output as they arrive.
public final class AgentProcess {
    public let process: BackgroundProcess
    private var consumed = Set<Int>()
    private var nextID = 1

    /// Starts an agent with an empty config file and these `--set` values; in the network
    /// namespace `netns` (`ip netns exec`) when one is named.
    public init(_ settings: [String], trace: Bool = true, name: String = "agent", netns: String? = nil) throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipterm-agent-\(UUID().uuidString).toml"
        ).path
        _ = FileManager.default.createFile(atPath: config, contents: Data())
        var arguments = ["agent", "--config", config]
        if trace { arguments.append("--trace") }
        for setting in settings { arguments += ["--set", setting] }
        let binary = try Binaries.sipterm()
        if let netns {
            process = try BackgroundProcess("/usr/sbin/ip", ["netns", "exec", netns, binary] + arguments, name: name)
        } else {
            process = try BackgroundProcess(binary, arguments, name: name)
        }
    }

    /// An unregistered agent (alice) whose every request goes to the peer at 127.0.0.1:`port`,
    /// once its socket is up.
    public static func towards(port: Int, _ extra: [String] = []) async throws -> AgentProcess {
        let agent = try AgentProcess(
            ["uri=sip:alice@sipterm.test", "sockets=[\"udp://127.0.0.1:\(port)\"]", "register=false"] + extra)
        try await agent.event("connected")
        return agent
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private var parsed: [[String: Any]] = []
    private var offset: UInt64 = 0
    private var partial = Data()

    /// Every output line so far, parsed. Only what was written since the last look is read, so
    /// polling stays cheap however much a tracing agent has written.
    public var lines: [[String: Any]] {
        guard let handle = FileHandle(forReadingAtPath: process.directory + "/stdout") else { return parsed }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = handle.readDataToEndOfFile()
        offset += UInt64(data.count)
        partial.append(data)
        // One pass over what came, then one copy of the unfinished line: a tracing agent writes
        // megabytes, and copying the rest after every line took seconds of a test thread.
        var start = partial.startIndex
        while let newline = partial[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = partial[start..<newline]
            start = newline + 1
            parsed.append(
                (try? JSONSerialization.jsonObject(with: line) as? [String: Any])
                    ?? ["unparsed": String(decoding: line, as: UTF8.self)])
        }
        partial = Data(partial[start...])
        return parsed
    }

    /// Sends a command (its id is added) and returns the reply.
    @discardableResult
    public func command(_ fields: [String: Any], timeout: Double = 15) async throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var object = fields
        object["id"] = id
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        process.write(String(decoding: data, as: UTF8.self))
        return try await first(timeout: timeout, what: "reply to \(fields["cmd"] ?? "?")") { $0["id"] as? Int == id }
    }

    /// The next event of that name (for that call, if given) not returned before.
    @discardableResult
    public func event(_ name: String, session: String? = nil, timeout: Double = 15) async throws -> [String: Any] {
        try await first(timeout: timeout, what: "\(name) event" + (session.map { " for \($0)" } ?? "")) { line in
            line["event"] as? String == name && (session == nil || line["session"] as? String == session)
        }
    }

    /// The next event of that name whose `key` field is `value` (a subscriber's or notifier's id).
    @discardableResult
    public func event(
        _ name: String, _ key: String, _ value: String, timeout: Double = 15
    ) async throws -> [String: Any] {
        try await first(timeout: timeout, what: "\(name) event for \(key) \(value)") { line in
            line["event"] as? String == name && line[key] as? String == value
        }
    }

    /// The next event of that name for which `matches` holds, among the lines from `since` on
    /// (a `lineCount` taken before); `what` names it in a timeout.
    @discardableResult
    public func event(
        _ name: String, _ what: String, since: Int = 0, timeout: Double = 15,
        matching matches: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        try await first(timeout: timeout, what: "\(name) event (\(what))", from: since) { line in
            line["event"] as? String == name && matches(line)
        }
    }

    /// How many lines the agent has written so far.
    public var lineCount: Int { lines.count }

    /// The names of the events so far whose `key` field is `value`, in the order they came.
    public func eventNames(_ key: String, _ value: String) -> [String] {
        lines.filter { $0[key] as? String == value && $0["event"] != nil }.compactMap { $0["event"] as? String }
    }

    private func first(
        timeout: Double, what: String, from start: Int = 0, _ predicate: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        // Lines already looked at did not match (the predicate and `consumed` only rule more
        // out), so each poll reads only the new ones.
        var checked = start
        while true {
            let all = lines
            for index in checked..<max(checked, all.count) where !consumed.contains(index) && predicate(all[index]) {
                consumed.insert(index)
                return all[index]
            }
            checked = max(checked, all.count)
            if Date() > deadline {
                throw Timeout(
                    description: "no \(what) within \(timeout) s; agent output:\n\(tail)\nstderr: \(process.stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The last lines of output, traces shortened, for failure messages.
    public var tail: String {
        process.stdout.split(separator: "\n").suffix(40).map { String($0.prefix(600)) }.joined(separator: "\n")
    }

    /// SIP messages the agent sent or received (`--trace`).
    public func traces(_ direction: String) -> [String] {
        lines.filter { $0["event"] as? String == "sipTrace" && $0["direction"] as? String == direction }
            .compactMap { $0["message"] as? String }
    }

    /// Waits until `count` traced messages in `direction` satisfy `predicate`.
    public func waitForTrace(
        _ direction: String, count: Int = 1, within seconds: Double, _ predicate: (String) -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while traces(direction).filter(predicate).count < count {
            guard Date() < deadline else {
                throw Timeout(description: "the awaited message was not \(direction) within \(seconds) s:\n\(tail)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The calls `status` lists.
    public func calls() async throws -> [[String: Any]] {
        let status = try await command(["cmd": "status"])
        return (status["status"] as? [String: Any])?["calls"] as? [[String: Any]] ?? []
    }

    /// The agent's own UDP `host:port`.
    public func localAddress() async throws -> String {
        let status = try await command(["cmd": "status"])
        let connection = (status["status"] as? [String: Any])?["connection"] as? [String: Any]
        guard let address = connection?["local_address"] as? String else {
            throw Timeout(description: "agent has no local address: \(status)")
        }
        return address
    }

    /// Places a call and returns its session id, once confirmed unless `confirmed` is false.
    public func call(_ target: String, confirmed: Bool = true, _ options: [String: Any] = [:]) async throws -> String {
        var fields = options
        fields["cmd"] = "call"
        fields["target"] = target
        let reply = try await command(fields)
        guard let session = reply["session"] as? String else {
            throw Timeout(description: "call \(target) refused: \(reply)")
        }
        if confirmed { try await event("confirmed", session: session) }
        return session
    }

    /// When the agent emitted an event (its `timestamp`), to time what it did without depending
    /// on how quickly the test looked.
    public static func time(of event: [String: Any]) -> Date? {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (event["timestamp"] as? String).flatMap { format.date(from: $0) }
    }

    /// The session id of the next incoming call.
    public func incoming(timeout: Double = 15) async throws -> String {
        let new = try await event("newRTCSession", timeout: timeout)
        guard let session = new["session"] as? String, new["originator"] as? String == "remote" else {
            throw Timeout(description: "newRTCSession without a remote session: \(new)")
        }
        return session
    }

    /// Stops the agent; returns its exit status.
    @discardableResult
    public func stop() async -> Int32 {
        process.write(#"{"cmd":"stop"}"#)
        return await process.wait(timeout: 10)
    }
}
