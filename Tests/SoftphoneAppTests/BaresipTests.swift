import Foundation
import TestSupport
import Testing

/// sipterm and baresip (a second, independent phone) calling each other through Kamailio.
@Suite("calls with baresip", .serialized)
struct BaresipTests {
    static let baresip = Baresip(user: "walter", sipPort: 15240)

    @Test func sipptermCallsBaresip() async throws {
        try await Self.baresip.start()
        let agent = try await AgentToAgentTests.registered("victor", over: "udp")
        let reply = try await agent.command(["cmd": "call", "target": "walter"])
        let session = try #require(reply["session"] as? String, "\(reply)")
        try await agent.event("accepted", session: session)
        try await agent.event("confirmed", session: session)
        try await Self.baresip.waitForLog("Call established: sip:victor@sipterm.test")
        // baresip's sine tone arrives in our RTP session.
        let deadline = Date().addingTimeInterval(5)
        var received = 0.0
        while received == 0 && Date() < deadline {
            let call = try await agent.calls().first
            received = (call?["media"] as? [String: Any])?["packets_received"] as? Double ?? 0
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(received > 0)
        try await agent.command(["cmd": "sendDTMF", "session": session, "tones": "4", "transportType": "RFC2833"])
        try await agent.event("newDTMF", session: session)
        try await agent.command(["cmd": "terminate", "session": session])
        try await agent.event("ended", session: session)
        try await Self.baresip.waitForLog("sip:victor@sipterm.test: session closed")
        await agent.stop()
        try await Self.baresip.stop()
    }

    @Test func baresipCallsSipterm() async throws {
        try await Self.baresip.start()
        let agent = try await AgentToAgentTests.registered("victor", over: "udp")
        try await Self.baresip.command("dial", "sip:victor@sipterm.test")
        let new = try await agent.event("newRTCSession")
        let session = try #require(new["session"] as? String)
        #expect((new["remote_identity"] as? String)?.hasPrefix("sip:walter@sipterm.test") == true)
        try await agent.command(["cmd": "answer", "session": session])
        try await agent.event("confirmed", session: session)
        try await Self.baresip.waitForLog("Call established: sip:victor@sipterm.test")
        try await agent.command(["cmd": "hold", "session": session])
        try await Self.baresip.command("hangup")
        let ended = try await agent.event("ended", session: session)
        #expect(ended["originator"] as? String == "remote")
        await agent.stop()
        try await Self.baresip.stop()
    }
}
