import Foundation
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
        let socket = try kamailio.url(kind == "ws" ? .ws : .udp)
        let agent = try AgentProcess(
            ["uri=sip:\(user)@sipterm.test", "password=\(user)-secret", "sockets=[\"\(socket)\"]"] + extra,
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
        let bob = try await Self.registered("bob")
        let alice = try await Self.registered("alice")
        let (outgoing, incoming) = try await Self.call(alice, bob, target: "bob")

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
        let status = try await bob.command(["cmd": "status"])
        let calls = (status["status"] as? [String: Any])?["calls"] as? [[String: Any]] ?? []
        #expect(calls.count == 1)
        #expect(calls.first?["muted"] as? Bool == true)
        #expect(calls.first?["direction"] as? String == "incoming")

        try await alice.command(["cmd": "terminate", "session": outgoing])
        let ended = try await bob.event("ended", session: incoming)
        #expect(ended["originator"] as? String == "remote")
        await alice.stop()
        await bob.stop()
    }
}
