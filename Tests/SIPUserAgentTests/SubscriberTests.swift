import SIPMessage
import SIPTransport
import SIPUserAgent
import TestSupport
import Testing

/// The Subscriber where no notifier answers: a phone that takes no subscriptions for the package
/// (405, as JsSIP answers without a newSubscribe listener) and a server that never answers.
@Suite("RFC 6665 subscriber without a notifier")
struct SubscriberTests {
    static func terminated(_ event: UAEvent) -> Bool {
        if case .subscriptionTerminated = event { return true }
        return false
    }

    @Test func aPhoneThatTakesNoSubscriptionsAnswers405() async throws {
        let target = try TestUA(user: "subjack")
        let watcher = try TestUA(user: "subivy")
        await target.ua.start()
        await watcher.ua.start()
        try await target.wait(for: "registered", isRegistered)
        try await watcher.wait(for: "registered", isRegistered)
        let id = try await watcher.ua.subscribe(
            target: "subjack", eventName: "weather", accept: "text/plain")
        let end = try await watcher.wait(for: "terminated", Self.terminated)
        guard case .subscriptionTerminated(id, 2, "SUBSCRIBE_NON_OK_RESPONSE", nil, nil) = end else {
            Issue.record("expected a 405 to end it, got \(end)")
            return
        }
        let answers = await target.log.traces(.sent).filter { $0.hasPrefix("SIP/2.0 405") }
        #expect(answers.count == 1 && answers[0].contains("Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS"))
        await watcher.ua.stop()
        await target.ua.stop()
    }

    @Test func aServerThatNeverAnswersEndsItWithATimeout() async throws {
        // Nothing listens on UDP 15009; T1 = 50 ms makes Timer F 3.2 s.
        let phone = try TestUA(
            user: "subivy",
            extra: ["sockets": .array([.string("udp://127.0.0.1:15009")]), "register": .bool(false)],
            timers: TransactionTimers(t1: .milliseconds(50)))
        await phone.ua.start()
        try await phone.wait(for: "connected") { if case .connected = $0 { true } else { false } }
        let started = ContinuousClock.now
        let id = try await phone.ua.subscribe(target: "bob", eventName: "dialog", accept: "application/dialog-info+xml")
        let end = try await phone.wait(for: "terminated", timeout: .seconds(10), Self.terminated)
        guard case .subscriptionTerminated(id, 0, "SUBSCRIBE_RESPONSE_TIMEOUT", nil, nil) = end else {
            Issue.record("expected a timeout, got \(end)")
            return
        }
        // Timer F of this T1, not the default 32 s (a loaded machine adds some).
        #expect(ContinuousClock.now - started < .seconds(12))
        await phone.ua.stop()
    }
}
