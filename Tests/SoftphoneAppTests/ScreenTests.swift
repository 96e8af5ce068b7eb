import Foundation
import Testing

@testable import SIPUserAgent
@testable import SoftphoneApp
@testable import TerminalUI

/// The panes drawn from states reached through the reducer, at 80×24, 200×60 and too small.
@Suite("Screen: panes and overlays")
struct ScreenTests {
    static let sizes = [(80, 24), (200, 60)]

    @Test("a fresh phone shows every pane, the hint bar and the empty-state hints", arguments: sizes)
    func freshPhone(size: (Int, Int)) {
        let screen = ScreenHarness().render(width: size.0, height: size.1)
        let text = screen.text
        for title in ["1 Account", "2 Registration", "3 Calls", "4 SIP trace", "5 Messages"] {
            #expect(text.contains(title), "\(title) at \(size)")
        }
        #expect(text.contains("○ unregistered"))
        #expect(text.contains("No calls."))
        #expect(screen.line(size.1 - 1).hasPrefix("F1 Help  F2 Settings  F3 Call"))
        #expect(screen.line(size.1 - 1).contains("F10 Quit"), "quit stays visible at \(size)")
    }

    @Test("registered: state, registrar, live countdowns and the attempts strip", arguments: sizes)
    func registered(size: (Int, Int)) {
        var harness = ScreenHarness()
        harness.registered()
        harness.send(.tick(harness.at(10)))
        let text = harness.render(width: size.0, height: size.1).text
        #expect(text.contains("● registered (expires 600 s)"))
        #expect(text.contains("sip:example.com"))
        #expect(text.contains("refresh 4:40"))
        #expect(text.contains("expiry 9:50"))
        #expect(text.contains("History   ·✓"))
        #expect(text.contains("200 OK"))
        // The tick moves the countdown on.
        harness.send(.tick(harness.at(70)))
        #expect(harness.render(width: size.0, height: size.1).text.contains("refresh 3:40"))
    }

    @Test("registration failure shows the cause and code in the failed colour; connecting shows the attempt")
    func failedAndConnecting() {
        var harness = ScreenHarness()
        harness.event(.connecting(socket: "wss://example.com/ws", attempts: 3))
        var screen = harness.render(width: 80, height: 24)
        #expect(screen.text.contains("connecting (attempt 3)"))
        harness.trace(true, ScreenHarness.register)
        harness.trace(false, ScreenHarness.response(403, "Forbidden", method: "REGISTER"))
        harness.event(.registrationFailed(cause: "Rejected", statusCode: 403, reasonPhrase: "Forbidden"))
        screen = harness.render(width: 80, height: 24)
        #expect(screen.text.contains("✗ failed: Rejected (403)"))
        #expect(screen.text.contains("403 Forbidden"))
        let row = (1..<24).first { screen.line($0).contains("✗ failed") } ?? 0
        let column = Array(screen.line(row)).firstIndex(of: "✗") ?? 0
        #expect(screen[column, row].style == Theme.builtIn[.registrationFailed])
    }

    @Test("an active call row: line, direction, remote, state, duration, hold and mute marks, codec, quality")
    func activeCall() {
        var harness = ScreenHarness()
        harness.activeCall(at: 0)
        harness.event(.hold(session: "call-1", originator: .local), at: 1)
        harness.event(.muted(session: "call-1"), at: 1)
        var info = CallInfo(
            id: "call-1", state: .confirmed, direction: "outgoing", remoteIdentity: "sip:bob@example.com",
            localIdentity: "", startTime: nil, localHold: true, remoteHold: false, muted: true)
        info.codec = "PCMU"
        info.media = ["packets_received": 250, "loss_fraction": 0.02, "jitter_ms": 3.4]
        harness.send(
            .status(
                ScreenHarness.status(registered: true, refreshIn: 100, expiresIn: 200, calls: [info]), at: harness.at(5)
            ))
        harness.send(.tick(harness.at(65)))
        let text = harness.render(width: 120, height: 30).text
        #expect(text.contains("1→  sip:bob@example.com"))
        #expect(text.contains("on hold"))
        #expect(text.contains("1:05"))
        #expect(text.contains("HM"))
        #expect(text.contains("PCMU"))
        #expect(text.contains("rx 250 loss 2% jit 3ms"))
        #expect(text.contains("1 call"))
    }

    @Test("an incoming call rings the bell, shows the overlay, and a answers it")
    func incomingCall() {
        var harness = ScreenHarness()
        harness.event(
            .newRTCSession(
                session: "in-1", originator: .remote, remoteIdentity: "\"Bob\" <sip:bob@example.com>", localIdentity: ""
            ))
        #expect(harness.effects == [.bell])
        let text = harness.render(width: 80, height: 24).text
        #expect(text.contains("Incoming call"))
        #expect(text.contains("sip:bob@example.com"))
        #expect(text.contains("[ Answer (a) ]"))
        harness.key(.character("a"))
        #expect(harness.effects.last == .answer(id: "in-1"))
        harness.event(.confirmed(session: "in-1", originator: .local))
        #expect(harness.state.overlay == nil)
    }

    @Test("busy and reject from the overlay send 486 and 603; no bell when sipterm.bell is off")
    func busyAndReject() {
        var harness = ScreenHarness()
        harness.state.bell = false
        harness.event(
            .newRTCSession(session: "in-1", originator: .remote, remoteIdentity: "sip:bob@x", localIdentity: ""))
        #expect(harness.effects.isEmpty)
        harness.key(.character("b"))
        #expect(harness.effects.last == .terminate(id: "in-1", statusCode: 486, reasonPhrase: "Busy Here"))
        harness.key(.right)
        harness.key(.enter)
        #expect(harness.effects.last == .terminate(id: "in-1", statusCode: 603, reasonPhrase: "Decline"))
    }

    @Test("the trace lists messages, the filter narrows them, Enter shows one whole, v draws the ladder")
    func traceAndLadder() {
        var harness = ScreenHarness()
        harness.registered()
        harness.activeCall()
        harness.trace(
            true,
            "INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n"
        )
        harness.trace(false, ScreenHarness.response(200, "OK", method: "INVITE", callID: "call-1", sdp: true))
        harness.trace(true, "ACK sip:bob@example.com SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 1 ACK\r\n\r\n")
        harness.key(.character("4"))
        var text = harness.render(width: 120, height: 40).text
        #expect(text.contains("→ INVITE (SDP)"))
        #expect(text.contains("← 200 OK (SDP)"))
        harness.key(.character("/"))
        harness.type("INVITE")
        harness.key(.enter)
        text = harness.render(width: 120, height: 40).text
        #expect(text.contains("filter “INVITE”"))
        #expect(!text.contains("→ REGISTER"))
        harness.key(.character("v"))
        text = harness.render(width: 120, height: 40).text
        #expect(text.contains("ladder"))
        #expect(text.contains("INVITE (SDP) ─"))
        #expect(text.contains("<─"))
        harness.key(.enter)
        text = harness.render(width: 120, height: 40).text
        #expect(text.contains("Call-ID: call-1"))
        harness.key(.escape)
        #expect(harness.state.overlay == nil)
    }

    @Test("messages: sent and received, with peers")
    func messages() {
        var harness = ScreenHarness()
        harness.key(.character("w"))
        harness.type("bob")
        harness.key(.enter)
        harness.type("héllo ¶€")
        harness.key(.enter)
        #expect(harness.effects.last == .sendMessage(target: "bob", body: "héllo ¶€"))
        harness.event(
            .newMessage(
                originator: .local, from: "sip:alice@example.com", to: "sip:bob@example.com", contentType: "text/plain",
                body: "héllo ¶€", statusCode: 200))
        harness.event(
            .newMessage(
                originator: .remote, from: "sip:bob@example.com", to: "sip:alice@example.com",
                contentType: "text/plain", body: "hi 你好", statusCode: nil))
        let text = harness.render(width: 200, height: 60).text
        #expect(text.contains("→ bob: héllo ¶€"))
        #expect(text.contains("← bob@example.com: hi 你好"))
        #expect(harness.state.messages.count == 2)
    }

    @Test("below 60×16 the screen says it is too small", arguments: [(59, 24), (80, 15), (20, 5), (1, 1)])
    func tooSmall(size: (Int, Int)) {
        var harness = ScreenHarness()
        harness.activeCall()
        let screen = harness.render(width: size.0, height: size.1)
        #expect(!screen.text.contains("Calls"))
        if size.0 >= 20 { #expect(screen.text.lowercased().contains("too small")) }
    }

    @Test("help is generated from the key map, including rebound keys")
    func help() {
        var keys = KeyMap()
        let warnings = keys.apply([
            "hangup": .array([.string("F9"), .string("Ctrl-H")]), "bogus": .string("F1"), "mute": .string("Hyper-Q"),
        ])
        #expect(warnings.count == 2)
        #expect(keys.action(for: .function(9)) == .hangup)
        #expect(keys.keys(for: .dtmf) == [.character("d")], "F9 moved from dtmf to hangup")
        var harness = ScreenHarness(keys: keys)
        harness.key(.function(1))
        let text = harness.render(width: 120, height: 40).text
        #expect(text.contains("Help — Calls"))
        #expect(text.contains("F9 Ctrl-H"))
        #expect(text.contains("hang up (or cancel) the selected call"))
        harness.key(.character("z"))
        #expect(harness.state.overlay == nil)
    }

    @Test("quitting with a call up asks first; without calls it quits at once")
    func quit() {
        var harness = ScreenHarness()
        harness.key(.character("q"))
        #expect(harness.effects == [.quit])
        harness = ScreenHarness()
        harness.activeCall()
        harness.key(.function(10))
        #expect(harness.effects.isEmpty)
        #expect(harness.render(width: 80, height: 24).text.contains("Quit sipterm?"))
        harness.key(.character("n"))
        #expect(harness.state.overlay == nil)
        harness.key(.character("q"))
        harness.key(.enter)
        #expect(harness.effects.isEmpty, "Stay is the default button")
        harness.key(.character("q"))
        harness.key(.character("y"))
        #expect(harness.effects == [.quit])
    }

    @Test("the settings screen opens over the panes, shows the socket in use as connected, and closes")
    func settingsOverlay() {
        var harness = ScreenHarness()
        let values: [String: ConfigValue] = [
            "uri": .string("sip:alice@example.com"), "sockets": .array([.string("udp://192.0.2.1:5060")]),
        ]
        harness.key(.function(2))
        #expect(harness.effects == [.openSettings])
        harness.send(.settings(.opened(SettingsForm(current: values, saved: values, themes: ["default"]))))
        #expect(harness.state.overlay == .settings)
        harness.event(.connecting(socket: "udp://192.0.2.1:5060", attempts: 2))
        #expect(harness.state.settings?.socketStates == ["udp://192.0.2.1:5060": "connecting (2)"])
        harness.event(.connected(socket: "udp://192.0.2.1:5060"))
        #expect(harness.state.settings?.socketStates == ["udp://192.0.2.1:5060": "connected"])
        #expect(harness.render(width: 100, height: 30).text.contains("Settings"))
        harness.key(.escape)
        #expect(harness.state.overlay == nil)
        #expect(harness.state.settings == nil)
        #expect(harness.effects.last == .settingsClosed)
    }

    @Test("leaving the settings asks only about the user's own changes, not a generated instance_id")
    func settingsCloseAsksOnlyAboutEdits() {
        let saved: [String: ConfigValue] = [
            "uri": .string("sip:alice@example.com"), "sockets": .array([.string("udp://192.0.2.1:5060")]),
        ]
        var running = saved
        running["instance_id"] = .string("8f7e8a1c-2b1e-4f5a-9c3d-0a1b2c3d4e5f")
        running["realm"] = .string("example.com")
        var form = SettingsForm(current: running, saved: saved, themes: ["default"])
        #expect(form.hasUnsavedChanges)
        #expect(form.handle(.escape) == .close)
    }
}

/// The Contacts pane: there only with contacts; lamps, presence, notes and problems; 6, arrows,
/// Enter (call) and w (message) on the selected contact.
@Suite("Screen: contacts")
struct ContactsScreenTests {
    static func harness() -> ScreenHarness {
        var harness = ScreenHarness()
        let bob = Contact(name: "Bob", uri: "sip:bob@example.com")
        let carol = Contact(name: nil, uri: "sip:carol@example.com")
        harness.event(
            .contactState(
                contact: bob, presence: PresenceStatus(basic: "open", activities: ["away"], note: "Back at 3"),
                lamp: .idle,
                problem: nil))
        harness.event(.contactState(contact: carol, presence: nil, lamp: .ringing, problem: nil))
        return harness
    }

    @Test func noContactsNoPaneAndSixIsRefused() {
        var harness = ScreenHarness()
        #expect(!harness.render(width: 120, height: 40).text.contains("Contacts"))
        harness.key(.character("6"))
        #expect(harness.state.focus == .calls)
        #expect(harness.render(width: 120, height: 40).text.contains("no contacts"))
        harness.key(.tab)
        harness.key(.tab)
        harness.key(.tab)
        #expect(harness.state.focus == .account, "Tab from Messages skips the missing Contacts pane")
    }

    @Test(arguments: ScreenTests.sizes)
    func contactsShowTheirStateAndActOnTheSelectedOne(size: (Int, Int)) {
        var harness = Self.harness()
        let text = harness.render(width: size.0, height: size.1).text
        #expect(text.contains("6 Contacts"))
        #expect(text.contains("○ Bob"))
        #expect(text.contains(size.0 >= 120 ? "away — Back at 3" : "away"))
        #expect(text.contains("◐ carol@example.com"))
        harness.key(.character("6"))
        harness.key(.down)
        harness.key(.enter)
        #expect(harness.effects.last == .call(target: "sip:carol@example.com"))
        harness.key(.up)
        harness.key(.character("w"))
        harness.type("hi")
        harness.key(.enter)
        #expect(harness.effects.last == .sendMessage(target: "sip:bob@example.com", body: "hi"))
    }

    @Test func aProblemIsShownUntilStateComes() {
        var harness = ScreenHarness()
        let dan = Contact(name: "Dan", uri: "sip:dan@example.com")
        harness.event(
            .contactState(
                contact: dan, presence: nil, lamp: nil,
                problem: "dialog subscription ended: 480 Temporarily Unavailable"))
        #expect(harness.render(width: 200, height: 40).text.contains("· Dan"))
        #expect(harness.render(width: 200, height: 40).text.contains("480 Temporarily Unavailable"))
    }
}
