import Foundation
import SIPUserAgent
import TestSupport
import Testing

/// Message waiting (RFC 3842) against a sipp voicemail server (peers/sipp/uas-mwi.xml): the
/// phone subscribes to its message-summary, reads each summary, survives an unreadable one,
/// and shows an unsolicited one too.
@Suite("Voicemail summaries (RFC 3842)")
struct VoicemailTests {
    static func counts(_ event: [String: Any]) -> [String: Any]? {
        (event["counts"] as? [String: Any])?["voice-message"] as? [String: Any]
    }

    @Test func theAgentSubscribesAndReportsEachSummary() async throws {
        let sipp = try Sipp.start("uas-mwi.xml", port: 5785)
        let agent = try await AgentProcess.towards(port: 5785, ["sipterm.mwi=true"])
        let first = try await agent.event("messageSummary")
        #expect(first["messagesWaiting"] as? Bool == true)
        #expect(first["account"] as? String == "sip:alice@sipterm.test")
        let voice = try #require(Self.counts(first), "\(first)")
        #expect(voice["new"] as? Int == 2 && voice["old"] as? Int == 8)
        #expect(voice["urgentNew"] as? Int == 1 && voice["urgentOld"] as? Int == 0)
        let broken = try await agent.event("messageSummary")
        #expect((broken["error"] as? String)?.contains("Messages-Waiting is 'perhaps'") == true, "\(broken)")
        let none = try await agent.event("messageSummary")
        #expect(none["messagesWaiting"] as? Bool == false)
        #expect(Self.counts(none)?["old"] as? Int == 10)
        // Unsolicited (no subscription dialog): reported the same way.
        let unsolicited = try await agent.event("messageSummary")
        #expect(unsolicited["messagesWaiting"] as? Bool == true)
        #expect(Self.counts(unsolicited)?["new"] as? Int == 5)
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
        // The unreadable body ended nothing: the subscription is still up.
        #expect(!agent.lines.contains { $0["event"] as? String == "terminated" && $0["subscriber"] != nil })
        let subscribe = try #require(agent.traces("sent").first { $0.hasPrefix("SUBSCRIBE sip:alice@sipterm.test ") })
        #expect(subscribe.contains("\r\nAccept: application/simple-message-summary\r\n"))
        await agent.stop()
    }

    @Test("the phone's status line shows the waiting voice messages, then the unsolicited count")
    func theStatusLineShowsWaitingMessages() async throws {
        // Each summary stays 4 s on screen: the test sees the screen by polling tmux, and beside
        // the other suites on a loaded machine one poll took longer than the 1.5 s it once had.
        let sipp = try Sipp.start("uas-mwi.xml", port: 5786, arguments: ["-set", "pause_ms", "4000"])
        let home = try PhoneHome()
        try """
        uri = "sip:alice@sipterm.test"
        sockets = ["udp://127.0.0.1:5786"]
        register = false

        [sipterm]
        audio_input = "null"
        audio_output = "null"
        mwi = true

        """.write(toFile: home.config, atomically: true, encoding: .utf8)
        let phone = try await home.start(["--config", home.config], width: 110, height: 30)
        try await phone.run { phone in
            try await phone.waitFor("✉ 2 new (1 urgent)")
            try await phone.waitFor("unreadable voicemail summary")
            try await phone.waitFor("✉ 5 new")
            try await phone.keys("F10")
            try await phone.waitFor("EXITED 0")
        }
        let sipped = await Sipp.outcome(sipp, timeout: 15)
        #expect(sipped.status == 0, "\(sipped.logs)")
    }
}
