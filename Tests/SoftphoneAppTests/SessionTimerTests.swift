import Foundation
import TestSupport
import Testing

/// RFC 4028 against sipp: sipterm refreshing (UPDATE and re-INVITE), the peer refreshing, the
/// peer going silent (BYE at 1.1 × the interval), and a 422 answered with the peer's Min-SE.
/// Intervals are 60 s, JsSIP's smallest, so these take a minute; they run side by side.
@Suite("session timers with sipp")
struct SessionTimerTests {
    static func call(_ agent: AgentProcess, port: Int, expires: Int? = 60) async throws -> String {
        var command: [String: Any] = ["cmd": "call", "target": "sip:bob@127.0.0.1:\(port)"]
        if let expires { command["sessionTimersExpires"] = expires }
        let reply = try await agent.command(command)
        let session = try #require(reply["session"] as? String, "\(reply)")
        try await agent.event("confirmed", session: session)
        return session
    }

    /// Waits until the agent has sent a request starting with `prefix` `count` times.
    static func sent(_ agent: AgentProcess, _ prefix: String, count: Int = 1, within seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while agent.traces("sent").filter({ $0.hasPrefix(prefix) }).count < count {
            guard Date() < deadline else {
                throw AgentProcess.Timeout(description: "no \(prefix) sent within \(seconds) s:\n\(agent.tail)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test(arguments: [("UPDATE", 5720), ("INVITE", 5721)])
    func sipptermRefreshes(method: String, port: Int) async throws {
        let sipp = try Sipp.start(
            "uas-timer-agent-refreshes.xml", port: port,
            arguments: ["-set", "se", "60", "-set", "method", method, "-recv_timeout", "45s"], timeout: 100)
        let agent = try await CallInteropTests.agent(towards: port, ["session_timers_refresh_method=\"\(method)\""])
        let session = try await Self.call(agent, port: port)
        let status = try await agent.command(["cmd": "status"])
        let call = ((status["status"] as? [String: Any])?["calls"] as? [[String: Any]])?.first
        let timer = call?["session_timer"] as? [String: Any]
        #expect(timer?["interval"] as? Int == 60)
        #expect(timer?["refresher"] as? String == "local")
        // The refresh is due at half the interval: 30 s.
        try await Self.sent(agent, method + " ", count: method == "INVITE" ? 2 : 1, within: 40)
        let refresh = agent.traces("sent").last { $0.hasPrefix(method + " ") } ?? ""
        #expect(refresh.contains("Session-Expires: 60;refresher=uac"))
        try await Task.sleep(for: .seconds(1))
        try await agent.command(["cmd": "terminate", "session": session])
        let sippStatus = await sipp.wait(timeout: 20)
        #expect(sippStatus == 0, "\(Sipp.logs(sipp))")
        await agent.stop()
    }

    @Test func peerRefreshes() async throws {
        let sipp = try Sipp.start(
            "uas-timer-peer-refreshes.xml", port: 5722,
            arguments: ["-set", "se", "60", "-set", "refresh_ms", "20000", "-recv_timeout", "45s"], timeout: 100)
        let agent = try await CallInteropTests.agent(towards: 5722)
        let session = try await Self.call(agent, port: 5722)
        let status = try await agent.command(["cmd": "status"])
        let call = ((status["status"] as? [String: Any])?["calls"] as? [[String: Any]])?.first
        #expect((call?["session_timer"] as? [String: Any])?["refresher"] as? String == "remote")
        // sipp refreshes at 20 s; without it the call would end at 66 s. Hang up after the refresh.
        let deadline = Date().addingTimeInterval(30)
        while !agent.traces("received").contains(where: { $0.hasPrefix("UPDATE ") }) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let answer = agent.traces("sent").first { $0.hasPrefix("SIP/2.0 200") && $0.contains(" UPDATE\r\n") } ?? ""
        #expect(answer.contains("Session-Expires: 60;refresher=uac"))
        try await agent.command(["cmd": "terminate", "session": session])
        let sippStatus = await sipp.wait(timeout: 20)
        #expect(sippStatus == 0, "\(Sipp.logs(sipp))")
        await agent.stop()
    }

    @Test func peerStopsRefreshingSoWeHangUp() async throws {
        let sipp = try Sipp.start(
            "uas-timer-peer-silent.xml", port: 5723,
            arguments: ["-set", "se", "60", "-set", "need_reason", "yes", "-recv_timeout", "80s"], timeout: 110)
        let agent = try await CallInteropTests.agent(towards: 5723)
        let session = try await Self.call(agent, port: 5723)
        let ended = try await agent.event("ended", session: session, timeout: 80)
        #expect(ended["cause"] as? String == "Request Timeout")
        #expect(ended["originator"] as? String == "system")
        let sippStatus = await sipp.wait(timeout: 20)
        #expect(sippStatus == 0, "\(Sipp.logs(sipp))")
        await agent.stop()
    }

    @Test func interval422RetriedWithPeersMinSE() async throws {
        let sipp = try Sipp.start(
            "uas-422.xml", port: 5724, arguments: ["-set", "min_se", "120", "-recv_timeout", "15s"])
        let agent = try await CallInteropTests.agent(towards: 5724)
        let session = try await Self.call(agent, port: 5724, expires: nil)
        let invites = agent.traces("sent").filter { $0.hasPrefix("INVITE ") }
        #expect(invites.count == 2)
        #expect(invites.last?.contains("Session-Expires: 120") == true)
        #expect(invites.last?.contains("Min-SE: 120") == true)
        try await agent.command(["cmd": "terminate", "session": session])
        let sippStatus = await sipp.wait(timeout: 20)
        #expect(sippStatus == 0, "\(Sipp.logs(sipp))")
        await agent.stop()
    }
}
