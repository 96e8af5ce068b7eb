import SIPUserAgent

/// Every event a user agent emitted, kept for a test to look for, with a polling wait that never
/// blocks a thread.
public actor UAEventLog {
    public private(set) var events: [UAEvent] = []

    public init() {}

    /// Starts recording `ua`'s events (call before `ua.start()`).
    public nonisolated func record(_ ua: UserAgent) {
        let stream = ua.events
        Task { for await event in stream { await self.add(event) } }
    }

    public func add(_ event: UAEvent) { events.append(event) }
    public func first(where match: (UAEvent) -> Bool) -> UAEvent? { events.first(where: match) }
    public func count(where match: (UAEvent) -> Bool) -> Int { events.filter(match).count }

    /// The text of every SIP message traced in one direction, in order.
    public func traces(_ direction: UAEvent.Direction) -> [String] {
        events.compactMap {
            if case .trace(direction, _, _, let text) = $0 { return text }
            return nil
        }
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    /// The first event `match` accepts, or a failure after `timeout` listing the events seen.
    @discardableResult
    public func wait(
        for description: String, timeout: Duration, _ match: @escaping @Sendable (UAEvent) -> Bool
    ) async throws -> UAEvent {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = events.first(where: match) { return event }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Timeout(description: "no \(description) within \(timeout); events: \(events.map(\.name))")
    }
}
