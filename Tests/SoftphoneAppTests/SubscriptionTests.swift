import Foundation
import SIPTransport
import TestSupport
import Testing

/// JsSIP's Subscriber and Notifier (RFC 6665) between two `sipterm agent`s through Kamailio:
/// JsSIP's own end-to-end test (test-SubscriberNotifier) step by step, the headers and bodies
/// on the wire, refusals and a server that never answers.
@Suite("RFC 6665 subscriptions between agents")
struct SubscriptionTests {
    static let accept = "application/text, text/plain"
    static let request = "Please report the weather condition"
    static let report = "+20..+24°C, no precipitation, light wind"

    static func agent(_ user: String, over kind: String = "udp") async throws -> AgentProcess {
        try await AgentToAgentTests.registered(user, over: kind)
    }

    @Test(arguments: ["udp", "ws"])
    func jsSIPsSubscriberNotifierSequence(_ kind: String) async throws {
        let watcher = try await Self.agent(kind == "udp" ? "subalice" : "subcarol", over: kind)
        let notifierAgent = try await Self.agent(kind == "udp" ? "subbob" : "subdave", over: kind)
        let target = kind == "udp" ? "subbob" : "subdave"

        let subscribed = try await watcher.command([
            "cmd": "subscribe", "target": target, "eventName": "weather", "accept": Self.accept, "expires": 3600,
            "contentType": "text/plain", "body": Self.request,
        ])
        let subscriber = try #require(subscribed["subscriber"] as? String, "\(subscribed)")

        // The notifier side: newSubscribe with the request's parts, then ua.notify + start.
        let new = try await notifierAgent.event("newSubscribe")
        let notifier = try #require(new["notifier"] as? String)
        #expect(new["event_package"] as? String == "weather")
        #expect(new["accept"] as? String == Self.accept)
        #expect(new["body"] as? String == Self.request)
        #expect(new["contentType"] as? String == "text/plain")
        #expect(new["expires"] as? Int == 3600)
        try await notifierAgent.command([
            "cmd": "notify", "notifier": notifier, "contentType": "text/plain", "pending": false,
        ])
        let first = try await notifierAgent.event("subscribe", "notifier", notifier)
        #expect(first["isUnsubscribe"] as? Bool == false)
        #expect(first["body"] as? String == Self.request)
        try await notifierAgent.command(["cmd": "notify", "notifier": notifier, "body": Self.report])

        // The subscriber: accepted, active, the first NOTIFY with its body.
        try await watcher.event("accepted", "subscriber", subscriber)
        try await watcher.event("active", "subscriber", subscriber)
        let notify = try await watcher.event("notify", "subscriber", subscriber)
        #expect(notify["isFinal"] as? Bool == false)
        #expect(notify["body"] as? String == Self.report)
        #expect(notify["contentType"] as? String == "text/plain")

        // Un-SUBSCRIBE with a body; the notifier answers with its final NOTIFY.
        try await watcher.command(["cmd": "terminate", "subscriber": subscriber, "body": Self.request])
        let last = try await notifierAgent.event("subscribe", "notifier", notifier)
        #expect(last["isUnsubscribe"] as? Bool == true)
        #expect(last["body"] as? String == Self.request)
        try await notifierAgent.command(["cmd": "terminate", "notifier": notifier, "body": Self.report])
        let notifierEnd = try await notifierAgent.event("terminated", "notifier", notifier)
        #expect(notifierEnd["cause"] as? String == "FINAL_NOTIFY_SENT")
        #expect(notifierEnd["terminationCode"] as? Int == 4)
        let final = try await watcher.event("notify", "subscriber", subscriber)
        #expect(final["isFinal"] as? Bool == true)
        #expect(final["body"] as? String == Self.report)
        let end = try await watcher.event("terminated", "subscriber", subscriber)
        #expect(end["cause"] as? String == "FINAL_NOTIFY_RECEIVED")
        #expect(end["terminationCode"] as? Int == 6)
        #expect(end["reason"] is NSNull && end["retryAfter"] is NSNull)

        // JsSIP's order of events, on each side.
        #expect(
            watcher.eventNames("subscriber", subscriber) == ["accepted", "active", "notify", "notify", "terminated"])
        #expect(
            notifierAgent.eventNames("notifier", notifier) == ["newSubscribe", "subscribe", "subscribe", "terminated"])

        // On the wire: the SUBSCRIBE's headers, the 200's Expires, the NOTIFYs' Subscription-State.
        let sent = try #require(watcher.traces("sent").first { $0.hasPrefix("SUBSCRIBE ") })
        for line in [
            "Event: weather", "Expires: 3600", "Accept: \(Self.accept)", "Content-Type: text/plain",
        ] {
            #expect(sent.contains("\r\n\(line)\r\n"), "SUBSCRIBE lacks \(line):\n\(sent)")
        }
        #expect(sent.contains("\r\nContact: <"))
        let ok = try #require(
            notifierAgent.traces("sent").first { $0.hasPrefix("SIP/2.0 200") && $0.contains(" SUBSCRIBE\r\n") })
        #expect(ok.contains("\r\nExpires: 3600\r\n") && ok.contains("\r\nContact: <"), "\(ok)")
        let notifies = notifierAgent.traces("sent").filter { $0.hasPrefix("NOTIFY ") }
        #expect(notifies.count == 2)
        #expect(notifies.first?.contains("\r\nSubscription-State: active;expires=") == true, "\(notifies)")
        #expect(notifies.last?.contains("\r\nSubscription-State: terminated\r\n") == true, "\(notifies)")
        #expect(notifies.allSatisfy { $0.contains("\r\nEvent: weather\r\n") })
        await watcher.stop()
        await notifierAgent.stop()
    }
}
