import Foundation
import TestSupport
import Testing

/// RFC 4028 against sipp: sipterm refreshing (UPDATE and re-INVITE), the peer refreshing, the
/// peer going silent (BYE at 1.1 × the interval), and a 422 answered with the peer's Min-SE.
/// Intervals are 60 s, JsSIP's smallest, so these take a minute; they run side by side.
@Suite("session timers with sipp")
struct SessionTimerTests {
    static func call(_ agent: AgentProcess, port: Int, expires: Int? = 60) async throws -> String {
        try await agent.call("sip:bob@127.0.0.1:\(port)", expires.map { ["sessionTimersExpires": $0] } ?? [:])
    }

    static func sessionTimer(_ agent: AgentProcess) async throws -> [String: Any]? {
        try await agent.calls().first?["session_timer"] as? [String: Any]
    }

    @Test(arguments: [("UPDATE", 5720), ("INVITE", 5721)])
    func sipptermRefreshes(method: String, port: Int) async throws {
        let sipp = try Sipp.start(
            "uas-timer-agent-refreshes.xml", port: port,
            arguments: ["-set", "se", "60", "-set", "method", method, "-recv_timeout", "45s"], timeout: 100)
        let agent = try await CallInteropTests.agent(towards: port, ["session_timers_refresh_method=\"\(method)\""])
        let session = try await Self.call(agent, port: port)
        let timer = try await Self.sessionTimer(agent)
        #expect(timer?["interval"] as? Int == 60)
        #expect(timer?["refresher"] as? String == "local")
        // The refresh is due at half the interval: 30 s.
        try await agent.waitForTrace("sent", count: method == "INVITE" ? 2 : 1, within: 40) {
            $0.hasPrefix(method + " ")
        }
        let refresh = agent.traces("sent").last { $0.hasPrefix(method + " ") } ?? ""
        #expect(refresh.contains("Session-Expires: 60;refresher=uac"))
        try await Task.sleep(for: .seconds(1))
        try await agent.command(["cmd": "terminate", "session": session])
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func peerRefreshes() async throws {
        let sipp = try Sipp.start(
            "uas-timer-peer-refreshes.xml", port: 5722,
            arguments: ["-set", "se", "60", "-set", "refresh_ms", "20000", "-recv_timeout", "45s"], timeout: 100)
        let agent = try await CallInteropTests.agent(towards: 5722)
        let session = try await Self.call(agent, port: 5722)
        #expect(try await Self.sessionTimer(agent)?["refresher"] as? String == "remote")
        // sipp refreshes at 20 s; without it the call would end at 66 s. Hang up after the refresh.
        try await agent.waitForTrace("received", within: 30) { $0.hasPrefix("UPDATE ") }
        try await Task.sleep(for: .milliseconds(300))
        let answer = agent.traces("sent").first { $0.hasPrefix("SIP/2.0 200") && $0.contains(" UPDATE\r\n") } ?? ""
        #expect(answer.contains("Session-Expires: 60;refresher=uac"))
        try await agent.command(["cmd": "terminate", "session": session])
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
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
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
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
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }
}
