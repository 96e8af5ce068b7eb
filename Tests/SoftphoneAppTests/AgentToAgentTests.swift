import Foundation
import SIPTransport
import TestSupport
import Testing

/// Two (or three) `sipterm agent`s registered at Kamailio over WebSocket, calling each other
/// through it: hold, DTMF both ways of sending, INFO, mute, transfer.
@Suite("agent to agent through Kamailio")
struct AgentToAgentTests {
    static func registered(
        _ user: String, over kind: String = "ws", _ extra: [String] = []
    ) async throws
        -> AgentProcess
    {
        let kamailio = try await Kamailio.running()
        let transport = try #require(TransportKind(rawValue: kind), "no transport \(kind)")
        let socket = try kamailio.url(transport)
        let trust = transport.isSecure ? ["sipterm.tls_ca_file=\"\(kamailio.certificate)\""] : []
        let agent = try AgentProcess(
            ["uri=sip:\(user)@sipterm.test", "password=\(user)-secret", "sockets=[\"\(socket)\"]"] + trust + extra,
            name: "agent-\(user)")
        try await agent.event("registered")
        return agent
    }

    /// alice calls `callee`, which answers; returns both call ids.
    static func call(_ alice: AgentProcess, _ callee: AgentProcess, target: String) async throws -> (String, String) {
        let reply = try await alice.command(["cmd": "call", "target": target])
        let outgoing = try #require(reply["session"] as? String, "\(reply)")
        let new = try await callee.event("newRTCSession")
        let incoming = try #require(new["session"] as? String)
        try await callee.command(["cmd": "answer", "session": incoming])
        try await alice.event("confirmed", session: outgoing)
        try await callee.event("confirmed", session: incoming)
        return (outgoing, incoming)
    }

    @Test func callOverWebSocketWithHoldDTMFInfoAndMute() async throws {
        let bob = try await Self.registered("erin")
        let alice = try await Self.registered("dave")
        let (outgoing, incoming) = try await Self.call(alice, bob, target: "erin")

        try await alice.command(["cmd": "hold", "session": outgoing])
        #expect(try await bob.event("hold", session: incoming)["originator"] as? String == "remote")
        let sentHold = alice.traces("sent").last { $0.hasPrefix("INVITE ") } ?? ""
        #expect(sentHold.contains("a=sendonly"))
        try await alice.command(["cmd": "unhold", "session": outgoing])
        #expect(try await bob.event("unhold", session: incoming)["originator"] as? String == "remote")

        // RFC 4733 events in RTP, decoded by the other agent's media.
        let dtmf = try await alice.command([
            "cmd": "sendDTMF", "session": outgoing, "tones": "1#", "duration": 120, "interToneGap": 60,
            "transportType": "RFC2833",
        ])
        #expect(dtmf["ok"] as? Bool == true, "\(dtmf)")
        var heard: [String] = []
        for _ in 0..<2 {
            let tone = try await bob.event("newDTMF", session: incoming)
            #expect(tone["originator"] as? String == "remote")
            heard.append(tone["tone"] as? String ?? "?")
        }
        #expect(heard == ["1", "#"])

        // DTMF by INFO (application/dtmf-relay), and a plain INFO.
        try await alice.command(["cmd": "sendDTMF", "session": outgoing, "tones": "7", "transportType": "INFO"])
        let info = try await bob.event("newDTMF", session: incoming)
        #expect(info["tone"] as? String == "7")
        #expect(info["duration"] as? Int == 100)
        try await alice.command([
            "cmd": "sendInfo", "session": outgoing, "contentType": "application/x-note", "body": "hello",
        ])
        let note = try await bob.event("newInfo", session: incoming)
        #expect(note["body"] as? String == "hello")
        #expect(note["contentType"] as? String == "application/x-note")

        let bad = try await alice.command(["cmd": "sendDTMF", "session": outgoing, "tones": "9x"])
        #expect(bad["ok"] as? Bool == false)

        try await bob.command(["cmd": "mute", "session": incoming])
        try await bob.event("muted", session: incoming)
        let calls = try await bob.calls()
        #expect(calls.count == 1)
        #expect(calls.first?["muted"] as? Bool == true)
        #expect(calls.first?["direction"] as? String == "incoming")

        try await alice.command(["cmd": "terminate", "session": outgoing])
        let ended = try await bob.event("ended", session: incoming)
        #expect(ended["originator"] as? String == "remote")
        await alice.stop()
        await bob.stop()
    }

    /// bob transfers alice to carol (REFER); alice places the new call and NOTIFYs its progress.
    @Test func blindTransfer() async throws {
        let carol = try await Self.registered("heidi", over: "udp", ["sipterm.auto_answer=\"immediately\""])
        let bob = try await Self.registered("grace", over: "udp")
        let alice = try await Self.registered("frank", over: "udp")
        let (aliceToBob, bobFromAlice) = try await Self.call(alice, bob, target: "grace")

        let refer = try await bob.command(["cmd": "refer", "session": bobFromAlice, "target": "heidi"])
        #expect(refer["ok"] as? Bool == true, "\(refer)")
        let asked = try await alice.event("refer", session: aliceToBob)
        #expect((asked["target"] as? String)?.hasPrefix("sip:heidi@sipterm.test") == true)
        let accepted = try await alice.command(["cmd": "acceptRefer", "session": aliceToBob])
        let aliceToCarol = try #require(accepted["new_session"] as? String, "\(accepted)")
        try await alice.event("confirmed", session: aliceToCarol)
        try await carol.event("confirmed")
        var statuses: [String] = []
        while statuses.last != "accepted" && statuses.last != "failed" {
            let status = try await bob.event("referStatus", session: bobFromAlice)
            statuses.append(status["status"] as? String ?? "?")
        }
        #expect(statuses.first == "requestSucceeded")
        #expect(statuses.contains("trying"))
        #expect(statuses.last == "accepted")
        let notify = alice.traces("sent").first { $0.hasPrefix("NOTIFY ") && $0.contains("SIP/2.0 200") } ?? ""
        #expect(notify.contains("Subscription-State: terminated;reason=noresource"))
        #expect(notify.contains("Content-Type: message/sipfrag;version=2.0"))
        // The call being transferred is left as it was (no hold re-INVITE to cross the REFER).
        #expect(try await bob.calls().first?["hold"] as? [String: Bool] == ["local": false, "remote": false])
        try await bob.command(["cmd": "terminate", "session": bobFromAlice])
        try await alice.event("ended", session: aliceToBob)
        try await alice.command(["cmd": "terminate", "session": aliceToCarol])
        try await carol.event("ended")
        for agent in [alice, bob, carol] { await agent.stop() }
    }

    /// alice talks to bob, holds him, calls carol, then joins bob and carol: REFER with Replaces.
    @Test func attendedTransfer() async throws {
        let carol = try await Self.registered("mallory", over: "udp")
        let bob = try await Self.registered("judy", over: "udp")
        let alice = try await Self.registered("ivan", over: "udp")
        let (aliceToBob, bobFromAlice) = try await Self.call(alice, bob, target: "judy")
        let (aliceToCarol, carolFromAlice) = try await Self.call(alice, carol, target: "mallory")
        // Calling carol put bob on hold first.
        try await bob.event("hold", session: bobFromAlice)

        let refer = try await alice.command(["cmd": "refer", "session": aliceToBob, "replaces": aliceToCarol])
        #expect(refer["ok"] as? Bool == true, "\(refer)")
        let sent = alice.traces("sent").last { $0.hasPrefix("REFER ") } ?? ""
        #expect(sent.contains("?Replaces="))
        try await bob.event("refer", session: bobFromAlice)
        let accepted = try await bob.command(["cmd": "acceptRefer", "session": bobFromAlice])
        let bobToCarol = try #require(accepted["new_session"] as? String, "\(accepted)")
        let replaced = try await carol.event("replaces", session: carolFromAlice)
        let carolFromBob = try #require(replaced["replaced_by"] as? String)
        try await bob.event("confirmed", session: bobToCarol)
        try await carol.event("confirmed", session: carolFromBob)
        // carol's old call with alice ends once the new one is up.
        try await alice.event("ended", session: aliceToCarol)
        var last = ""
        while last != "accepted" && last != "failed" {
            last = try await alice.event("referStatus", session: aliceToBob)["status"] as? String ?? "?"
        }
        #expect(last == "accepted")
        try await alice.command(["cmd": "terminate", "session": aliceToBob])
        try await bob.command(["cmd": "terminate", "session": bobToCarol])
        try await carol.event("ended", session: carolFromBob)
        for agent in [alice, bob, carol] { await agent.stop() }
    }

    /// A second call while in a call is offered, not refused; answering it holds the first.
    @Test func callWaitingAndDoNotDisturb() async throws {
        let carol = try await Self.registered("peggy", over: "udp")
        let bob = try await Self.registered("olivia", over: "udp")
        let alice = try await Self.registered("niaj", over: "udp")
        let (_, bobFromAlice) = try await Self.call(alice, bob, target: "olivia")
        let second = try await carol.command(["cmd": "call", "target": "olivia"])
        let carolToBob = try #require(second["session"] as? String)
        let waiting = try await bob.event("newRTCSession")
        let bobFromCarol = try #require(waiting["session"] as? String)
        try await carol.event("progress", session: carolToBob)
        try await bob.command(["cmd": "answer", "session": bobFromCarol])
        #expect(try await bob.event("hold", session: bobFromAlice)["originator"] as? String == "local")
        try await carol.event("confirmed", session: carolToBob)
        try await carol.command(["cmd": "terminate", "session": carolToBob])
        try await bob.command(["cmd": "terminate", "session": bobFromAlice])

        try await bob.command(["cmd": "set", "param": "sipterm.dnd", "value": true])
        let busy = try await alice.command(["cmd": "call", "target": "olivia"])
        let refused = try await alice.event("failed", session: try #require(busy["session"] as? String))
        #expect(refused["status_code"] as? Int == 486)
        #expect(refused["cause"] as? String == "Busy")
        for agent in [alice, bob, carol] { await agent.stop() }
    }
}
