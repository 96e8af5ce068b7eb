import Foundation
import TestSupport
import Testing

/// Calls between `sipterm agent` and sipp scenarios (peers/sipp/), straight over UDP on
/// 127.0.0.1, each checked from both sides: sipp's exit status and the agent's events.
@Suite("calls with sipp")
struct CallInteropTests {
    /// An agent whose every request goes to the sipp at `port`.
    static func agent(towards port: Int, _ extra: [String] = []) async throws -> AgentProcess {
        let agent = try AgentProcess(
            ["uri=sip:alice@sipterm.test", "sockets=[\"udp://127.0.0.1:\(port)\"]", "register=false"] + extra)
        try await agent.event("connected")
        return agent
    }

    static func string(_ object: [String: Any], _ key: String) -> String? { object[key] as? String }

    @Test func outgoingCallAnsweredThenHungUpByUs() async throws {
        let sipp = try Sipp.start("uas-answer.xml", port: 5701)
        let agent = try await Self.agent(towards: 5701)
        let reply = try await agent.command(["cmd": "call", "target": "sip:bob@127.0.0.1:5701"])
        let session = try #require(Self.string(reply, "session"))
        let progress = try await agent.event("progress", session: session)
        #expect(progress["status_code"] as? Int == 180)
        try await agent.event("accepted", session: session)
        try await agent.event("confirmed", session: session)
        let status = try await agent.command(["cmd": "status"])
        let calls = (status["status"] as? [String: Any])?["calls"] as? [[String: Any]]
        #expect(calls?.first?["state"] as? String == "confirmed")
        #expect((calls?.first?["session_timer"] as? [String: Any])?["interval"] as? Int == 90)
        try await agent.command(["cmd": "terminate", "session": session])
        let ended = try await agent.event("ended", session: session)
        #expect(Self.string(ended, "originator") == "local")
        #expect(Self.string(ended, "cause") == "Terminated")
        let sippStatus = await sipp.wait(timeout: 15)
        #expect(sippStatus == 0, "\(Sipp.logs(sipp))")
        let invite = try #require(agent.traces("sent").first { $0.hasPrefix("INVITE ") })
        #expect(invite.contains("Supported: timer,replaces,outbound"))
        #expect(invite.contains(";ob>"))
        #expect(invite.contains("Session-Expires: 90"))
        #expect(invite.contains("Min-SE: 90"))
        #expect(invite.contains("m=audio "))
        #expect(await agent.stop() == 0)
    }
}
