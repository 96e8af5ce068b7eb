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

    @Test func aRefusedSubscribeEndsWithItsCode() async throws {
        let watcher = try await Self.agent("suberin")
        let notifierAgent = try await Self.agent("subfrank")
        let subscribed = try await watcher.command([
            "cmd": "subscribe", "target": "subfrank", "eventName": "weather", "accept": "text/plain",
        ])
        let subscriber = try #require(subscribed["subscriber"] as? String, "\(subscribed)")
        let new = try await notifierAgent.event("newSubscribe")
        try await notifierAgent.command([
            "cmd": "rejectSubscribe", "notifier": try #require(new["notifier"] as? String), "status_code": 489,
        ])
        let end = try await watcher.event("terminated", "subscriber", subscriber)
        #expect(end["cause"] as? String == "SUBSCRIBE_NON_OK_RESPONSE")
        #expect(end["terminationCode"] as? Int == 2)
        #expect(watcher.traces("received").contains { $0.hasPrefix("SIP/2.0 489") && $0.contains(" SUBSCRIBE\r\n") })
        let sent = try #require(watcher.traces("sent").first { $0.hasPrefix("SUBSCRIBE ") })
        #expect(sent.contains("\r\nExpires: 900\r\n"), "JsSIP's default Expires:\n\(sent)")
        await watcher.stop()
        await notifierAgent.stop()
    }

    @Test func aShortSubscriptionIsRefreshedBeforeItEnds() async throws {
        let watcher = try await Self.agent("subgina")
        let notifierAgent = try await Self.agent("subhank")
        let subscribed = try await watcher.command([
            "cmd": "subscribe", "target": "subhank", "eventName": "weather", "accept": "text/plain", "expires": 10,
        ])
        let subscriber = try #require(subscribed["subscriber"] as? String, "\(subscribed)")
        let new = try await notifierAgent.event("newSubscribe")
        let notifier = try #require(new["notifier"] as? String)
        try await notifierAgent.command(["cmd": "notify", "notifier": notifier, "contentType": "text/plain"])
        try await notifierAgent.command(["cmd": "notify", "notifier": notifier, "body": "sunny"])
        try await watcher.event("active", "subscriber", subscriber)
        let started = ContinuousClock.now
        // JsSIP's schedule for expires < 140: the refresh goes 5 s before the end.
        let refresh = try await notifierAgent.event("subscribe", "notifier", notifier)
        #expect(refresh["isUnsubscribe"] as? Bool == false)
        let again = try await notifierAgent.event("subscribe", "notifier", notifier, timeout: 10)
        #expect(again["isUnsubscribe"] as? Bool == false)
        let waited = ContinuousClock.now - started
        #expect(waited > .seconds(3) && waited < .seconds(8), "refresh after \(waited)")
        // One refresh, in the dialog (the To carries the notifier's tag); the first SUBSCRIBE
        // may have been sent twice, the second time with Kamailio's credentials.
        let refreshes = watcher.traces("sent").filter { message in
            message.hasPrefix("SUBSCRIBE ")
                && message.split(separator: "\r\n").contains { $0.hasPrefix("To: ") && $0.contains(";tag=") }
        }
        #expect(refreshes.count == 1, "\(refreshes)")
        #expect(watcher.eventNames("subscriber", subscriber) == ["accepted", "active", "notify"])
        // A phone that stops un-SUBSCRIBEs first.
        await watcher.stop()
        let last = try await notifierAgent.event("subscribe", "notifier", notifier)
        #expect(last["isUnsubscribe"] as? Bool == true)
        await notifierAgent.stop()
    }

    /// The NOTIFY before the 200 makes the dialog, a second fork's NOTIFY is refused 481, and
    /// the final NOTIFY's reason and retry-after reach `terminated` (RFC 6665 §4.1.3).
    @Test(arguments: [("probation;retry-after=30", 5780, "probation", 30), ("rejected", 5800, "rejected", nil)])
    func aNotifyBeforeTheOKCreatesTheSubscription(
        _ final: String, _ port: Int, _ reason: String, _ retryAfter: Int?
    ) async throws {
        let sipp = try Sipp.start("uas-subscribe-early-notify.xml", port: port, arguments: ["-set", "final", final])
        let watcher = try await AgentProcess.towards(port: port)
        let subscribed = try await watcher.command([
            "cmd": "subscribe", "target": "sip:bob@127.0.0.1:\(port)", "eventName": "message-summary",
            "accept": "text/plain",
        ])
        let subscriber = try #require(subscribed["subscriber"] as? String, "\(subscribed)")
        let end = try await watcher.event("terminated", "subscriber", subscriber)
        #expect(end["cause"] as? String == "FINAL_NOTIFY_RECEIVED")
        #expect(end["reason"] as? String == reason)
        #expect(end["retryAfter"] as? Int == retryAfter)
        #expect(
            watcher.eventNames("subscriber", subscriber) == ["active", "notify", "accepted", "notify", "terminated"])
        #expect(watcher.traces("sent").contains { $0.hasPrefix("SIP/2.0 481 ") && $0.contains(" NOTIFY\r\n") })
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await watcher.stop()
    }

    @Test(arguments: [("event", 5781, 489), ("state", 5782, 400)])
    func aWrongNotifyIsRefusedAndEndsTheSubscription(_ bad: String, _ port: Int, _ status: Int) async throws {
        let sipp = try Sipp.start("uas-subscribe-bad-notify.xml", port: port, arguments: ["-set", "bad", bad])
        let watcher = try await AgentProcess.towards(port: port)
        let subscribed = try await watcher.command([
            "cmd": "subscribe", "target": "sip:bob@127.0.0.1:\(port)", "eventName": "dialog", "accept": "text/plain",
        ])
        let subscriber = try #require(subscribed["subscriber"] as? String, "\(subscribed)")
        let end = try await watcher.event("terminated", "subscriber", subscriber)
        #expect(end["cause"] as? String == "WRONG_NOTIFY_RECEIVED")
        #expect(end["terminationCode"] as? Int == 7)
        #expect(watcher.traces("sent").contains { $0.hasPrefix("SIP/2.0 \(status)") && $0.contains(" NOTIFY\r\n") })
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await watcher.stop()
    }

    /// A watcher that never refreshes: the notifier reports `expired`, then sends the final
    /// NOTIFY itself (reason timeout); one that un-SUBSCRIBEs gets a final NOTIFY even when
    /// the app sends none (RFC 6665 §4.2.1.4).
    @Test(arguments: [("expire", 5783, "SUBSCRIPTION_EXPIRED"), ("unsubscribe", 5784, "UNSUBSCRIBE_RECEIVED")])
    func theNotifierEndsWhatTheWatcherLeaves(_ mode: String, _ port: Int, _ cause: String) async throws {
        let agent = try await AgentProcess.towards(port: port)
        let address = try await agent.localAddress()
        let sipp = try Sipp.start(
            "uac-subscribe.xml", port: port, remote: address, service: "alice",
            arguments: ["-set", "mode", mode, "-recv_timeout", "15s"])
        let new = try await agent.event("newSubscribe")
        let notifier = try #require(new["notifier"] as? String)
        #expect(new["expires"] as? Int == 10 && new["event_package"] as? String == "weather")
        try await agent.command([
            "cmd": "notify", "notifier": notifier, "contentType": "text/plain", "pending": true,
        ])
        try await agent.command(["cmd": "setActiveState", "notifier": notifier])
        try await agent.command(["cmd": "notify", "notifier": notifier])
        let end = try await agent.event("terminated", "notifier", notifier)
        #expect(end["cause"] as? String == cause, "\(end)")
        let expected =
            mode == "expire"
            ? ["newSubscribe", "subscribe", "expired", "terminated"]
            : [
                "newSubscribe", "subscribe", "subscribe", "terminated",
            ]
        #expect(agent.eventNames("notifier", notifier) == expected)
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    /// Busy lamps: a watcher subscribes to another phone's `dialog` and `presence`; sipterm
    /// answers them itself and NOTIFYs each change of its calls (RFC 4235, RFC 3863).
    @Test func aWatcherSeesTheOtherPhoneRingTalkAndHangUp() async throws {
        let audio = ["sipterm.audio_input=\"null\"", "sipterm.audio_output=\"null\""]
        let watcher = try await AgentToAgentTests.registered("subkim", over: "udp", audio)
        let watched = try await AgentToAgentTests.registered("sublee", over: "udp", audio)
        let caller = try await AgentToAgentTests.registered("submay", over: "udp", audio)
        func subscribe(_ package: String, _ accept: String) async throws -> String {
            let reply = try await watcher.command([
                "cmd": "subscribe", "target": "sublee", "eventName": package, "accept": accept,
            ])
            return try #require(reply["subscriber"] as? String, "\(reply)")
        }
        let lamp = try await subscribe("dialog", "application/dialog-info+xml")
        let presence = try await subscribe("presence", "application/pidf+xml")
        func next(_ subscriber: String) async throws -> String {
            let notify = try await watcher.event("notify", "subscriber", subscriber)
            return notify["body"] as? String ?? ""
        }
        let idle = try await next(lamp)
        #expect(idle.contains("<dialog-info") && !idle.contains("<dialog "), "\(idle)")
        #expect(idle.contains("entity=\"sip:sublee@sipterm.test\""), "\(idle)")
        #expect(try await next(presence).contains("<note>Available</note>"))

        let session = try await caller.call("sublee", confirmed: false)
        let ringing = try await next(lamp)
        #expect(ringing.contains("direction=\"recipient\"") && ringing.contains("<state>early</state>"), "\(ringing)")
        let incoming = try await watched.incoming()
        try await watched.command(["cmd": "answer", "session": incoming])
        try await caller.event("confirmed", session: session)
        var talking = try await next(lamp)
        while !talking.contains("<state>confirmed</state>") { talking = try await next(lamp) }
        #expect(talking.contains("<identity>sip:submay@sipterm.test</identity>"), "\(talking)")
        var busy = try await next(presence)
        while !busy.contains("on-the-phone") { busy = try await next(presence) }
        #expect(busy.contains("<note>On the phone</note>"), "\(busy)")

        try await caller.command(["cmd": "terminate", "session": session])
        try await watched.event("ended", session: incoming)
        var after = try await next(lamp)
        while after.contains("<dialog ") { after = try await next(lamp) }
        #expect(after.contains("</dialog-info>"))
        // The versions climb with every NOTIFY of the lamp.
        let versions = watcher.lines.filter {
            $0["event"] as? String == "notify" && $0["subscriber"] as? String == lamp
        }
        .compactMap { ($0["body"] as? String)?.firstMatch(of: /version="(\d+)"/).flatMap { Int($0.1) } }
        #expect(versions == Array(0..<versions.count), "\(versions)")
        await caller.stop()
        await watched.stop()
        await watcher.stop()
    }
}
