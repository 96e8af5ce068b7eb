import Foundation
import TestSupport
import Testing

/// Busy lamps and voicemail the server's way: for blf* users Kamailio holds the dialog state
/// (dialog + pua_dialoginfo publish each call it proxies, presence_dialoginfo serves it) and the
/// voicemail summary (presence_mwi, PUBLISHed by a voicemail server: sipp,
/// peers/sipp/uac-publish-mwi.xml). The watched phone serves nothing itself
/// (`sipterm.serve_state=false`), so every lamp seen is the server's.
@Suite("Busy lamps and voicemail from Kamailio's presence server", .serialized)
struct ServerBusyLampTests {
    static let benURI = "sip:blfben@sipterm.test"

    @Test func aWatcherSeesTheServersLampRingThenBusyThenIdle() async throws {
        let ann = try await PresenceTests.phone("blfann", watching: "Ben <\(Self.benURI)>")
        let ben = try await AgentToAgentTests.registered(
            "blfben", over: "udp",
            ["sipterm.serve_state=false", "sipterm.audio_input=\"null\"", "sipterm.audio_output=\"null\""])
        let cid = try await AgentToAgentTests.registered(
            "blfcid", over: "udp", ["sipterm.audio_input=\"null\"", "sipterm.audio_output=\"null\""])
        try await PresenceTests.state(ann, of: Self.benURI, "idle lamp", PresenceTests.lamp("idle"))

        let reply = try await cid.command(["cmd": "call", "target": "blfben"])
        let outgoing = try #require(reply["session"] as? String, "\(reply)")
        let incoming = try await ben.incoming()
        try await PresenceTests.state(ann, of: Self.benURI, "ringing lamp", PresenceTests.lamp("ringing"))
        try await ben.command(["cmd": "answer", "session": incoming])
        try await cid.event("confirmed", session: outgoing)
        try await PresenceTests.state(ann, of: Self.benURI, "busy lamp", PresenceTests.lamp("busy"))
        try await cid.command(["cmd": "terminate", "session": outgoing])
        try await ben.event("ended", session: incoming)
        try await PresenceTests.state(ann, of: Self.benURI, "idle again", PresenceTests.lamp("idle"))

        // Kamailio served it: its NOTIFYs carry the dialog states pua_dialoginfo published,
        // and Ben never saw a dialog SUBSCRIBE.
        let notifies = ann.traces("received").filter { $0.hasPrefix("NOTIFY ") && $0.contains("Event: dialog\r\n") }
        #expect(notifies.allSatisfy { $0.contains("User-Agent: sipterm-kamailio\r\n") }, "\(notifies)")
        #expect(notifies.contains { $0.contains("<state>early</state>") }, "\(notifies)")
        #expect(notifies.contains { $0.contains("<state>confirmed</state>") }, "\(notifies)")
        #expect(!ben.traces("received").contains { $0.hasPrefix("SUBSCRIBE ") && $0.contains("Event: dialog\r\n") })
        await ann.stop()
        await ben.stop()
        await cid.stop()
    }

    /// A voicemail server PUBLISHes the summary; the server NOTIFYs the account's watchers:
    /// sipterm (`sipterm.mwi`) and baresip 1.0's mwi module.
    static let gus = Baresip(user: "blfgus", sipPort: 15310, accountParameters: ";mwi=yes")

    @Test func aVoicemailServersSummaryReachesSiptermAndBaresip() async throws {
        let kamailio = try await Kamailio.running()
        let ann = try await AgentToAgentTests.registered("blfann", over: "udp", ["sipterm.mwi=true"])
        try await Self.gus.start()
        // sipterm has its first (empty) NOTIFY before the voicemail server speaks, so the summary
        // comes in a NOTIFY the PUBLISH caused; baresip gets it either way (the server keeps it).
        try await ann.event("sipTrace", "first message-summary NOTIFY") {
            $0["direction"] as? String == "received" && ($0["message"] as? String)?.hasPrefix("NOTIFY ") == true
                && ($0["message"] as? String)?.contains("Event: message-summary\r\n") == true
        }
        for (user, port) in [("blfann", 5788), ("blfgus", 5789)] {
            let sipp = try Sipp.start(
                "uac-publish-mwi.xml", port: port, remote: "127.0.0.1:\(kamailio.sipPort)", service: user,
                arguments: ["-recv_timeout", "10s"])
            let sipped = await Sipp.outcome(sipp, timeout: 15)
            #expect(sipped.status == 0, "PUBLISH for \(user): \(sipped.logs)")
        }
        let summary = try await ann.event("messageSummary", "2 new", since: 0) {
            $0["messagesWaiting"] as? Bool == true
        }
        #expect(summary["account"] as? String == "sip:blfann@sipterm.test")
        let voice = try #require(VoicemailTests.counts(summary), "\(summary)")
        #expect(voice["new"] as? Int == 2 && voice["old"] as? Int == 5)
        #expect(voice["urgentNew"] as? Int == 0 && voice["urgentOld"] as? Int == 1)
        // baresip's menu module prints the summary its mwi module took (not just the trace).
        let taken = "----- MWI for sip:blfgus@sipterm.test -----"
        try await Self.gus.waitForLog(taken)
        let after = Self.gus.log.components(separatedBy: taken).dropFirst().joined()
        #expect(after.prefix(400).contains("Voice-Message: 2/5 (0/1)"), "\(after.prefix(400))")
        try await Self.gus.stop()
        await ann.stop()
    }
}
