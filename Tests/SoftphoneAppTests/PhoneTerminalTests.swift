import Foundation
import TestSupport
import Testing

/// `sipterm` in a real terminal (tmux), driven by keys and read from the screen.
@Suite("Phone in a terminal")
struct PhoneTerminalTests {
    @Test("the demo line: registers, echo call connects and hangs up, help, resize, quit restores the terminal")
    func demoLine() async throws {
        let phone = try await PhoneHome().start(
            ["--set", "sipterm.audio_input=\"null\"", "--set", "sipterm.audio_output=\"null\""])
        try await phone.run { phone in try await demoLine(phone) }
    }

    func demoLine(_ phone: TmuxSession) async throws {
        try await phone.waitFor("DEMO LINE")
        try await phone.waitFor("● registered")
        var screen = try await phone.waitFor("History   ·✓")
        #expect(screen.contains("sip:demo@demo.invalid"))

        try await phone.keys("c")
        try await phone.waitFor("Call:")
        try await phone.type("echo")
        try await phone.keys("Enter")
        screen = try await phone.waitFor("active")
        #expect(screen.contains("sip:echo@demo.invalid"))
        #expect(screen.contains("INVITE (SDP)"))
        try await phone.waitFor("call has audio coming back") { $0.contains("rx ") && !$0.contains("rx 0 ") }
        try await phone.keys("x")
        try await phone.waitFor("ended: Terminated")
        try await phone.waitFor("→ BYE")

        try await phone.keys("?")
        screen = try await phone.waitFor("Help — Calls")
        #expect(screen.contains("hang up (or cancel) the selected call"))
        try await phone.keys("Escape")
        try await phone.waitFor("help closed") { !$0.contains("Help —") }

        try await phone.resize(width: 70, height: 20)
        screen = try await phone.waitFor("70 columns") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.allSatisfy { $0.count <= 70 } && screen.contains("F1 Help") && screen.contains("3 Calls")
        }
        // Every pane border is closed on the right edge: no stale wider layout left behind.
        #expect(
            screen.split(separator: "\n").contains { $0.hasPrefix("╔ 3 Calls") && $0.hasSuffix("╗") && $0.count == 70 })
        try await phone.resize(width: 50, height: 12)
        try await phone.waitFor("too small")
        try await phone.resize(width: 120, height: 40)
        screen = try await phone.waitFor("120 columns again") { screen in
            screen.split(separator: "\n").contains { $0.hasPrefix("╔ 3 Calls") && $0.count == 120 }
        }
        #expect(!screen.lowercased().contains("too small"))

        try await phone.keys("q")
        screen = try await phone.waitFor("EXITED 0")
        #expect(!screen.contains("3 Calls"), "the terminal is restored: the panes are gone")
    }

    @Test("a broken config file: the phone still starts on the demo line and says what is wrong")
    func brokenConfig() async throws {
        let home = try PhoneHome()
        try FileManager.default.createDirectory(atPath: home.path + "/sipterm", withIntermediateDirectories: true)
        try "uri = \"sip:alice@example.com\"\nsockets = [\"ftp://nowhere\"]\n".write(
            toFile: home.path + "/sipterm/config.toml", atomically: true, encoding: .utf8)
        let phone = try await home.start(["--theme", "monochrome"], width: 100, height: 30)
        try await phone.run { phone in
            let screen = try await phone.waitFor("DEMO LINE")
            #expect(screen.contains("sockets"), "the notice names the bad parameter")
            try await phone.waitFor("● registered")
            try await phone.keys("F10")
            try await phone.waitFor("EXITED 0")
        }
    }

    @Test("a call from another phone through Kamailio: the overlay rings, a answers, o holds, x hangs up")
    func incomingCallThroughKamailio() async throws {
        let phone = try await PhoneHome(account: "tess").start()
        try await phone.run { phone in
            try await phone.waitFor("● registered")
            let caller = try AgentProcess(
                [
                    "uri=sip:ulrich@sipterm.test", "password=ulrich-secret",
                    "sockets=[\"\(try Kamailio.shared.url(.udp))\"]", "sipterm.audio_input=\"null\"",
                    "sipterm.audio_output=\"null\"",
                ], name: "agent-ulrich")
            do {
                try await Self.answerHoldHangUp(phone, caller)
            } catch {
                _ = await caller.stop()
                throw error
            }
            _ = await caller.stop()
            try await phone.keys("q")
            try await phone.waitFor("EXITED 0")
        }
    }

    static func answerHoldHangUp(_ phone: TmuxSession, _ caller: AgentProcess) async throws {
        try await caller.event("registered")
        let reply = try await caller.command(["cmd": "call", "target": "tess"])
        let session = try #require(reply["session"] as? String)
        var screen = try await phone.waitFor("Incoming call")
        #expect(screen.contains("ulrich"))
        #expect(screen.contains("[ Answer (a) ]"))
        try await phone.keys("a")
        try await caller.event("confirmed", session: session)
        screen = try await phone.waitFor("active")
        #expect(!screen.contains("Incoming call"))
        #expect(screen.contains("1←"))
        try await phone.keys("o")
        try await caller.event("hold", session: session)
        try await phone.waitFor("on hold")
        try await phone.keys("x")
        try await caller.event("ended", session: session)
        try await phone.waitFor("ended: Terminated")
    }

    @Test("when its terminal goes away the phone ends by itself, even with SIGHUP ignored")
    func terminalHangup() async throws {
        // An empty config file: the demo line, started through a shell that ignores SIGHUP.
        let home = try PhoneHome()
        try "".write(toFile: home.config, atomically: true, encoding: .utf8)
        let command = [
            "/bin/bash", "-c", "trap '' HUP; exec \"$0\" \"$@\"", try Binaries.sipterm(), "--config", home.config,
        ]
        let phone = try await home.start(command: command, width: 100, height: 30)
        try await phone.run { phone in
            try await phone.waitFor("● registered")
            let phoneCommand = "\(try Binaries.sipterm()) --config \(home.config)"
            #expect(RunningProcesses.any(commandLineStartingWith: phoneCommand), "the phone runs")
            try await phone.closeWindow()
            let deadline = ContinuousClock.now + .seconds(20)
            var running = true
            while running, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                running = RunningProcesses.any(commandLineStartingWith: phoneCommand)
            }
            #expect(!running, "the phone ended when its terminal closed")
        }
    }
}
