import Foundation
import TestSupport
import Testing

/// Calls between `sipterm agent` and sipp scenarios (peers/sipp/), straight over UDP on
/// 127.0.0.1, each checked from both sides: sipp's exit status and the agent's events.
@Suite("calls with sipp")
struct CallInteropTests {
    static func agent(towards port: Int, _ extra: [String] = []) async throws -> AgentProcess {
        try await AgentProcess.towards(port: port, extra)
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
        let calls = try await agent.calls()
        #expect(calls.first?["state"] as? String == "confirmed")
        #expect((calls.first?["session_timer"] as? [String: Any])?["interval"] as? Int == 90)
        try await agent.command(["cmd": "terminate", "session": session])
        let ended = try await agent.event("ended", session: session)
        #expect(Self.string(ended, "originator") == "local")
        #expect(Self.string(ended, "cause") == "Terminated")
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        let invite = try #require(agent.traces("sent").first { $0.hasPrefix("INVITE ") })
        #expect(invite.contains("Supported: timer,replaces,outbound"))
        #expect(invite.contains(";ob>"))
        #expect(invite.contains("Session-Expires: 90"))
        #expect(invite.contains("Min-SE: 90"))
        #expect(invite.contains("m=audio "))
        #expect(await agent.stop() == 0)
    }

    @Test func outgoingCallHungUpByPeer() async throws {
        let sipp = try Sipp.start("uas-answer-then-bye.xml", port: 5702, arguments: ["-set", "hold_ms", "500"])
        let agent = try await Self.agent(towards: 5702)
        let session = try await agent.call("bob@127.0.0.1:5702")
        let ended = try await agent.event("ended", session: session)
        #expect(Self.string(ended, "originator") == "remote")
        #expect(Self.string(ended, "cause") == "Terminated")
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test(arguments: [(486, "Busy", 5703), (603, "Rejected", 5704), (404, "Not Found", 5705)])
    func outgoingCallRejected(code: Int, cause: String, port: Int) async throws {
        let sipp = try Sipp.start("uas-reject.xml", port: port, arguments: ["-set", "code", "\(code)"])
        let agent = try await Self.agent(towards: port)
        let reply = try await agent.command(["cmd": "call", "target": "bob"])
        let session = try #require(Self.string(reply, "session"))
        let failed = try await agent.event("failed", session: session)
        #expect(failed["status_code"] as? Int == code)
        #expect(Self.string(failed, "cause") == cause)
        #expect(Self.string(failed, "originator") == "remote")
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func outgoingCallCanceledWhileRinging() async throws {
        let sipp = try Sipp.start("uas-ring-wait-cancel.xml", port: 5707)
        let agent = try await Self.agent(towards: 5707)
        let reply = try await agent.command(["cmd": "call", "target": "bob"])
        let session = try #require(Self.string(reply, "session"))
        try await agent.event("progress", session: session)
        try await agent.command(["cmd": "terminate", "session": session])
        let failed = try await agent.event("failed", session: session)
        #expect(Self.string(failed, "cause") == "Canceled")
        #expect(Self.string(failed, "originator") == "local")
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        let cancel = agent.traces("sent").first { $0.hasPrefix("CANCEL ") }
        #expect(cancel != nil)
        await agent.stop()
    }

    @Test(arguments: ["us", "them"])
    func incomingCallAnswered(hangup: String) async throws {
        let port = hangup == "us" ? 5708 : 5709
        let agent = try await Self.agent(towards: port)
        let address = try await agent.localAddress()
        let sipp = try Sipp.start(
            "uac-call.xml", port: port, remote: address, service: "alice",
            arguments: ["-set", "hangup", hangup, "-d", "500", "-recv_timeout", "15s"])
        let new = try await agent.event("newRTCSession")
        #expect(Self.string(new, "originator") == "remote")
        let session = try #require(Self.string(new, "session"))
        let ringing = try await agent.event("progress", session: session)
        #expect(ringing["status_code"] as? Int == 180)
        try await agent.command(["cmd": "answer", "session": session])
        try await agent.event("accepted", session: session)
        try await agent.event("confirmed", session: session)
        if hangup == "them" {
            try await agent.command(["cmd": "terminate", "session": session])
        }
        let ended = try await agent.event("ended", session: session)
        #expect(Self.string(ended, "originator") == (hangup == "us" ? "remote" : "local"))
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func incomingCallCanceledByCaller() async throws {
        let agent = try await Self.agent(towards: 5710)
        let address = try await agent.localAddress()
        let sipp = try Sipp.start("uac-cancel.xml", port: 5710, remote: address, service: "alice")
        let session = try await agent.incoming()
        let failed = try await agent.event("failed", session: session)
        #expect(Self.string(failed, "cause") == "Canceled")
        #expect(Self.string(failed, "originator") == "remote")
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func incomingCallNotAnsweredTimesOutWith408() async throws {
        let agent = try await Self.agent(towards: 5711, ["no_answer_timeout=3"])
        let address = try await agent.localAddress()
        let sipp = try Sipp.start(
            "uac-no-answer.xml", port: 5711, remote: address, service: "alice",
            arguments: ["-set", "wait_s", "3", "-recv_timeout", "15s"])
        let session = try await agent.incoming()
        let failed = try await agent.event("failed", session: session, timeout: 10)
        #expect(Self.string(failed, "cause") == "No Answer")
        #expect(failed["status_code"] as? Int == 408)
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func peerPutsUsOnHoldAndResumes() async throws {
        let agent = try await Self.agent(towards: 5712, ["sipterm.auto_answer=\"immediately\""])
        let address = try await agent.localAddress()
        let sipp = try Sipp.start(
            "uac-hold.xml", port: 5712, remote: address, service: "alice",
            arguments: ["-d", "500", "-recv_timeout", "15s"])
        let session = try await agent.incoming()
        try await agent.event("confirmed", session: session)
        let hold = try await agent.event("hold", session: session)
        #expect(Self.string(hold, "originator") == "remote")
        let unhold = try await agent.event("unhold", session: session)
        #expect(Self.string(unhold, "originator") == "remote")
        try await agent.event("ended", session: session)
        let sipped = await Sipp.outcome(sipp, timeout: 20)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func dtmfByInfoReachesSipp() async throws {
        let sipp = try Sipp.start("uas-dtmf-info.xml", port: 5713, arguments: ["-set", "signal", "5"])
        let agent = try await Self.agent(towards: 5713)
        let session = try await agent.call("bob")
        try await agent.command(["cmd": "sendDTMF", "session": session, "tones": "5", "transportType": "INFO"])
        let sent = try await agent.event("newDTMF", session: session)
        #expect(Self.string(sent, "originator") == "local")
        #expect(Self.string(sent, "tone") == "5")
        try await agent.command(["cmd": "terminate", "session": session])
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    @Test func blindTransferOfSipp() async throws {
        let sipp = try Sipp.start("uas-refer.xml", port: 5714, arguments: ["-set", "refer_to", "carol"])
        let agent = try await Self.agent(towards: 5714)
        let session = try await agent.call("bob")
        let refer = try await agent.command(["cmd": "refer", "session": session, "target": "carol@127.0.0.1:5999"])
        #expect(refer["ok"] as? Bool == true, "\(refer)")
        var statuses: [String] = []
        while statuses.last != "accepted" && statuses.last != "failed" {
            statuses.append(Self.string(try await agent.event("referStatus", session: session), "status") ?? "?")
        }
        #expect(statuses == ["requestSucceeded", "trying", "accepted"])
        try await agent.event("ended", session: session)
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    /// sipp (sybil) calls the agent through Kamailio and transfers it to a third sipp (uma):
    /// the agent places the new call and NOTIFYs sybil of its progress until the 200.
    @Test func sippTransfersUsToAThirdSipp() async throws {
        _ = try await Kamailio.running()
        let carol = try Sipp.start("uas-answer.xml", port: 5730, service: "uma", arguments: ["-recv_timeout", "30s"])
        let registration = try Sipp.start(
            "register-auth.xml", port: 5731, remote: "127.0.0.1:15060", service: "uma",
            arguments: ["-au", "uma", "-ap", "uma-secret", "-set", "contact_port", "5730"], timeout: 10)
        let registered = await Sipp.outcome(registration, timeout: 15)
        #expect(registered.status == 0, "\(registered.logs)")
        let agent = try await AgentToAgentTests.registered(
            "trent", over: "udp", ["sipterm.auto_answer=\"immediately\""])
        let transferor = try Sipp.start(
            "uac-refer.xml", port: 5732, remote: "127.0.0.1:15060", service: "trent",
            arguments: [
                "-au", "sybil", "-ap", "sybil-secret", "-set", "from", "sybil", "-set", "refer_to",
                "sip:uma@sipterm.test", "-d", "500", "-recv_timeout", "20s",
            ])
        let first = try await agent.incoming()
        let asked = try await agent.event("refer", session: first)
        #expect(Self.string(asked, "target") == "sip:uma@sipterm.test")
        let accepted = try await agent.command(["cmd": "acceptRefer", "session": first])
        let second = try #require(Self.string(accepted, "new_session"), "\(accepted)")
        try await agent.event("confirmed", session: second)
        let transferred = await Sipp.outcome(transferor, timeout: 30)
        #expect(transferred.status == 0, "\(transferred.logs)")
        try await agent.event("ended", session: first)
        try await agent.command(["cmd": "terminate", "session": second])
        let answered = await Sipp.outcome(carol, timeout: 15)
        #expect(answered.status == 0, "\(answered.logs)")
        await agent.stop()
    }

    /// `sipterm.auto_answer` as a number of seconds: it rings that long, then answers.
    @Test func autoAnswerAfterOneSecond() async throws {
        let agent = try await Self.agent(towards: 5715, ["sipterm.auto_answer=1"])
        let address = try await agent.localAddress()
        let sipp = try Sipp.start(
            "uac-call.xml", port: 5715, remote: address, service: "alice",
            arguments: ["-set", "hangup", "us", "-d", "300", "-recv_timeout", "10s"])
        let ringing = try await agent.event("progress")
        let session = try #require(Self.string(ringing, "session"))
        let accepted = try await agent.event("accepted", session: session)
        let rang = try #require(AgentProcess.time(of: ringing))
        let answered = try #require(AgentProcess.time(of: accepted))
        let waited = answered.timeIntervalSince(rang)
        #expect((0.9...2).contains(waited), "answered after \(waited) s")
        try await agent.event("ended", session: session)
        let sipped = await Sipp.outcome(sipp)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }
}
