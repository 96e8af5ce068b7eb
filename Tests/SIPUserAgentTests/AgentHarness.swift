import Foundation
import SIPMessage
import SIPTransport
import SIPUserAgent
import TestSupport
import Testing

/// A UA configured for one of Kamailio's test users on one transport, with its events recorded.
final class TestUA: Sendable {
    let ua: UserAgent
    let log: UAEventLog

    init(
        user: String = "alice", password: String? = nil, transport: TransportKind = .udp, kamailio: Kamailio = .shared,
        extra: [String: ConfigValue] = [:], timers: TransactionTimers = TransactionTimers()
    ) throws {
        var raw: [String: ConfigValue] = [
            "uri": .string("sip:\(user)@sipterm.test"),
            "sockets": .array([.string(try kamailio.url(transport).description)]),
            "sipterm.tls_ca_file": .string(kamailio.certificate),
        ]
        raw["password"] = .string(password ?? "\(user)-secret")
        for (key, value) in extra { raw[key] = value }
        if extra["password"] == .string("") { raw["password"] = nil }
        let configuration = try Configuration(raw)
        ua = UserAgent(configuration: configuration, trace: true, timers: timers)
        log = UAEventLog()
        log.record(ua)
    }

    /// Waits until an event satisfies `match`, or fails the test after `timeout`.
    @discardableResult
    func wait(
        for description: String, timeout: Duration = .seconds(10), _ match: @escaping @Sendable (UAEvent) -> Bool
    ) async throws -> UAEvent {
        try await log.wait(for: description, timeout: timeout, match)
    }

    /// The text of every SIP message sent, in order.
    func sent() async -> [String] { await log.traces(.sent) }
}

func isRegistered(_ event: UAEvent) -> Bool {
    if case .registered = event { return true }
    return false
}

func isRegistrationFailed(_ event: UAEvent) -> Bool {
    if case .registrationFailed = event { return true }
    return false
}

/// Registered or failed: the registration has been answered either way.
func isRegistrationOutcome(_ event: UAEvent) -> Bool { isRegistered(event) || isRegistrationFailed(event) }

func header(_ name: String, in text: String) -> String? {
    for line in text.split(separator: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":") {
        return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
    }
    return nil
}
