import Foundation
import TestSupport
import Testing

/// The settings screen in a real terminal (tmux) against the real Kamailio: every test starts
/// `sipterm --config <temp>/config.toml` as its own user (see peers/kamailio/kamailio.cfg), edits
/// the form with keys and reads the outcome from the screen: the panes, the SIP trace and the raw
/// messages sipterm sent.
@Suite("Settings in a terminal")
struct SettingsTerminalTests {
    /// Waits long enough for a loaded 2-core machine running other tests at once.
    static let slow = Duration.seconds(45)

    /// Starts the phone and waits until it is registered as `home.user` over UDP.
    static func registered(_ home: PhoneHome) async throws -> TmuxSession {
        let phone = try await home.start()
        do {
            let screen = try await phone.waitFor("registered", timeout: slow) { $0.contains("● registered") }
            #expect(screen.contains("sip:\(home.user ?? "")@sipterm.test"))
            #expect(screen.contains("udp://127.0.0.1:15060 (UDP)"))
        } catch {
            await phone.kill()
            throw error
        }
        return phone
    }

    // MARK: Tests

    @Test("display_name with multi-byte characters: the next REGISTER's From carries it quoted")
    func displayName() async throws {
        let home = try PhoneHome(account: "zoe")
        let phone = try await Self.registered(home)
        try await phone.run { phone in
            try await Self.openSettings(phone)
            try await Self.select(phone, "display_name", sections: 0, rows: 2)
            try await Self.edit(phone, "Zoë 山田 ¶€")
            try await phone.waitFor("*display_name ···················· Zoë 山田 ¶€")
            try await phone.keys("a")  // next request: applies without asking
            try await phone.waitFor("Applied.", timeout: Self.slow)
            try await Self.closeSettings(phone)
            try await phone.waitFor("Name     Zoë 山田 ¶€")

            try await phone.keys(":")
            try await phone.type("register")
            try await phone.keys("Enter")
            let raw = try await Self.sentRegister(phone, containing: "山田")
            #expect(raw.contains("From: \"Zoë 山田 ¶€\" <sip:zoe@sipterm.test>;tag="), "\(raw)")
            try await phone.waitFor("registered again", timeout: Self.slow) {
                $0.contains("● registered") && $0.contains("History   ·✓·✓")
            }
        }
    }

    @Test("register_expires: applying re-registers with the new value")
    func registerExpires() async throws {
        let home = try PhoneHome(account: "wendy")
        let phone = try await Self.registered(home)
        try await phone.run { phone in
            try await phone.waitFor("● registered (expires 600 s)")
            try await Self.openSettings(phone)
            try await Self.select(phone, "register_expires", sections: 2, rows: 3)
            try await Self.edit(phone, "300")
            try await phone.waitFor("*register_expires ················ 300")
            try await phone.keys("a")
            try await phone.waitFor("This re-registers with the registrar. Apply?")
            try await phone.keys("y")
            try await phone.waitFor("Re-registered: 200 OK", timeout: Self.slow)
            try await Self.closeSettings(phone)
            try await phone.waitFor("● registered (expires 300 s)")

            let raw = try await Self.sentRegister(phone, containing: "Expires: 300")
            #expect(raw.split(separator: "\n").contains { $0.contains("║ Expires: 300 ") }, "\(raw)")
            #expect(raw.contains("<sip:wendy@sipterm.test>"))
        }
    }

    @Test("a second socket with a higher weight: the reconnect goes to it and registers there")
    func secondSocket() async throws {
        let home = try PhoneHome(account: "oscar")
        let phone = try await Self.registered(home)
        try await phone.run { phone in
            try await Self.openSettings(phone)
            try await Self.select(phone, "sockets", sections: 4, rows: 0)
            try await phone.keys("Enter")  // into the list: its first item
            try await phone.waitFor("J/K move down/up")
            try await phone.keys("n")  // a new item after it, being edited
            try await phone.type("tcp://127.0.0.1:15060")
            try await phone.keys("Enter")
            try await phone.waitFor("2. tcp://127.0.0.1:15060")
            try await phone.keys("+")
            var screen = try await phone.waitFor("2. tcp://127.0.0.1:15060  weight 1")
            #expect(screen.contains("1. udp://127.0.0.1:15060"))
            #expect(screen.contains("*sockets ························· 2 items"))
            try await phone.keys("a")
            try await phone.waitFor("This reconnects to the SIP server")
            try await phone.keys("y")
            try await phone.waitFor("Re-registered: 200 OK", timeout: Self.slow)
            try await Self.closeSettings(phone)
            screen = try await phone.waitFor("registered over TCP", timeout: Self.slow) {
                $0.contains("Socket   tcp://127.0.0.1:15060 (TCP)") && $0.contains("● registered")
            }
            let trace = screen.split(separator: "\n")
            #expect(trace.contains { $0.contains("→ REGISTER") && $0.contains("TCP 127.0.0.1:15060") }, "\(screen)")
            #expect(trace.contains { $0.contains("← 200 OK") && $0.contains("TCP 127.0.0.1:15060") }, "\(screen)")
        }
    }

    @Test("a wrong password: the apply fails, the form offers a rollback, and rolling back registers again")
    func wrongPassword() async throws {
        let home = try PhoneHome(account: "pat")
        let phone = try await Self.registered(home)
        try await phone.run { phone in
            // Rolled back from the form's offer.
            try await Self.openSettings(phone)
            try await Self.applyWrongPassword(phone)
            try await phone.keys("y")
            try await phone.waitFor("Re-registered: 200 OK", timeout: Self.slow)
            // The rollback restored pat-secret, and once it was answered the agent kept its ha1
            // instead (as JsSIP does): the revealed ha1 row is MD5(pat:sipterm.test:pat-secret).
            try await phone.waitFor("password ························ (default: none)")
            try await phone.keys("Down", "Down", "v")
            try await phone.waitFor("ha1 ····························· 67c46b4336a05eefd02cfae37c621d30")
            try await Self.closeSettings(phone)
            var screen = try await phone.waitFor("● registered", timeout: Self.slow)
            #expect(screen.contains("← 403 Forbidden") || screen.contains("← 401 Unauthorized"))

            // Kept: the Registration pane says why, and typing the right password back fixes it.
            try await Self.openSettings(phone)
            try await Self.applyWrongPassword(phone)
            try await phone.keys("n")
            try await phone.waitFor("Kept the new values, which the server refused")
            try await Self.closeSettings(phone)
            screen = try await phone.waitFor("✗ failed:", timeout: Self.slow)
            #expect(screen.contains("(403)") || screen.contains("(401)"), "\(screen)")
            try await Self.openSettings(phone)
            try await Self.select(phone, "password", sections: 1, rows: 2)
            try await Self.edit(phone, "pat-secret")
            try await phone.keys("a")
            try await phone.waitFor("This re-registers with the registrar. Apply?")
            try await phone.keys("y")
            try await phone.waitFor("Re-registered: 200 OK", timeout: Self.slow)
            try await Self.closeSettings(phone)
            try await phone.waitFor("● registered", timeout: Self.slow)
        }
    }

    /// From the open form: a wrong password applied, and the failure with its rollback offer.
    static func applyWrongPassword(_ phone: TmuxSession) async throws {
        try await select(phone, "password", sections: 1, rows: 2)
        try await edit(phone, "not-the-secret")
        try await phone.waitFor("*password")
        try await phone.keys("a")
        try await phone.waitFor("This re-registers with the registrar. Apply?")
        try await phone.keys("y")
        let screen = try await phone.waitFor("Roll back to the last working values?", timeout: slow)
        #expect(screen.contains("Apply failed: registration failed:"), "\(screen)")
        #expect(screen.contains("(403)") || screen.contains("(401)"), "\(screen)")
    }

    @Test("an invalid URI: the error is shown and Apply (and Save) do nothing")
    func invalidURI() async throws {
        let home = try PhoneHome(account: "ursula")
        let before = try home.read()
        let phone = try await Self.registered(home)
        try await phone.run { phone in
            // The REGISTER, its 401 and the one with credentials, all in the trace before looking.
            let settled = try await phone.waitFor("the first registration in the trace") {
                Self.sentRegisters($0).count == 2 && $0.contains("← 200 OK")
            }
            let registers = Self.sentRegisters(settled)
            try await Self.openSettings(phone)
            try await Self.select(phone, "uri", sections: 0, rows: 0)
            try await phone.keys("Enter", "C-u")
            try await phone.type("sip:bad user@")
            try await phone.waitFor("✗ uri: invalid value \"sip:bad user@\": not a SIP URI")  // checked as typed
            try await phone.keys("Enter")
            var screen = try await phone.waitFor("*uri ····························· ✗ sip:bad user@")
            #expect(screen.contains("✗ uri: not a SIP URI"), "\(screen)")
            #expect(screen.contains("1 invalid"), "\(screen)")
            try await phone.keys("a")
            screen = try await phone.waitFor("Apply is disabled while a field is invalid — uri:")
            #expect(!screen.contains("Apply changes"), "no confirm dialog: nothing is applied")
            try await phone.keys("F5")
            try await phone.keys("s")
            try await phone.waitFor("Save is disabled while a field is invalid.")
            try await Self.closeSettings(phone)
            try await Task.sleep(for: .seconds(2))
            screen = try await phone.waitFor("● registered")
            #expect(screen.contains("URI      sip:ursula@sipterm.test"))
            #expect(Self.sentRegisters(screen) == registers, "no REGISTER was sent:\n\(screen)")
        }
        #expect(try home.read() == before, "the config file is untouched")
    }

    @Test("save, quit, restart: the values come back; the file is 0600 and holds ha1 + realm, not the password")
    func saveAndRestart() async throws {
        let home = try PhoneHome(account: "ruth")
        let phone = try await Self.registered(home)
        try await phone.run { phone in
            try await Self.openSettings(phone)
            try await Self.select(phone, "display_name", sections: 0, rows: 2)
            try await Self.edit(phone, "Ruth Ünal 日本")
            try await Self.select(phone, "register_expires", sections: 2, rows: 3)
            try await Self.edit(phone, "300")
            try await phone.keys("a")
            try await phone.waitFor("This re-registers with the registrar. Apply?")
            try await phone.keys("y")
            try await phone.waitFor("Re-registered: 200 OK", timeout: Self.slow)
            try await phone.keys("s")
            try await phone.waitFor("Saved.", timeout: Self.slow)
            try await Self.closeSettings(phone)
            try await phone.waitFor("Name     Ruth Ünal 日本")
            try await phone.keys("q")
            try await phone.waitFor("EXITED 0", timeout: Self.slow)
        }

        let attributes = try FileManager.default.attributesOfItem(atPath: home.config)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try home.read()
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!lines.contains { $0.hasPrefix("password") }, "no plain password:\n\(text)")
        #expect(!text.contains("ruth-secret"), "\(text)")
        #expect(lines.contains { $0.hasPrefix("ha1 = \"") }, "\(text)")
        #expect(lines.contains("realm = \"sipterm.test\""), "\(text)")
        #expect(lines.contains("display_name = \"Ruth Ünal 日本\""), "\(text)")
        #expect(lines.contains("register_expires = 300"), "\(text)")

        // The same config again: the values are back and ha1 + realm still authenticate.
        let again = try await home.start()
        try await again.run { phone in
            let screen = try await phone.waitFor("registered with the saved values", timeout: Self.slow) {
                $0.contains("● registered (expires 300 s)")
            }
            #expect(screen.contains("Name     Ruth Ünal 日本"))
            #expect(screen.contains("URI      sip:ruth@sipterm.test"))
            try await Self.openSettings(phone)
            try await Self.select(phone, "realm", sections: 1, rows: 3)
            let form = try await phone.waitFor("No changes.")
            #expect(form.contains("realm ··························· sipterm.test"), "\(form)")
            try await Self.closeSettings(phone)
            try await phone.keys("q")
            try await phone.waitFor("EXITED 0", timeout: Self.slow)
        }
    }

    // MARK: Driving the form

    static func openSettings(_ phone: TmuxSession) async throws {
        try await phone.keys("F2")
        try await phone.waitFor("[ Apply F5 ] [ Save F6 ] [ Revert r ] [ Close Esc ]")
    }

    /// Selects `name`: the first row of the form, `sections` × PgDn, then `rows` × j; the help line
    /// names the parameter selected.
    static func select(_ phone: TmuxSession, _ name: String, sections: Int, rows: Int) async throws {
        try await phone.keys("Home")
        for _ in 0..<sections { try await phone.keys("PageDown") }
        for _ in 0..<rows { try await phone.keys("j") }
        try await phone.waitFor("JsSIP: \(name) ·")
    }

    /// Replaces the selected text field's value.
    static func edit(_ phone: TmuxSession, _ text: String) async throws {
        try await phone.keys("Enter")
        try await phone.waitFor("Enter accept")
        try await phone.keys("C-u")
        try await phone.type(text)
        try await phone.keys("Enter")
        try await phone.waitFor("edit accepted") { !$0.contains("Enter accept") }
    }

    /// Closes the form, discarding unsaved changes when it asks, and waits for the panes.
    static func closeSettings(_ phone: TmuxSession) async throws {
        try await phone.keys("Escape")
        let screen = try await phone.waitFor("the form closing") {
            $0.contains("Close and discard them?") || $0.contains("1 Account")
        }
        if screen.contains("Close and discard them?") { try await phone.keys("y") }
        try await phone.waitFor("1 Account")
    }

    /// The raw text of the newest REGISTER sent whose text contains `text`, read from the SIP trace
    /// (filtered on `text`, the newest rows opened one by one until one is a sent REGISTER).
    static func sentRegister(_ phone: TmuxSession, containing text: String) async throws -> String {
        try await phone.keys("4", "/")
        try await phone.waitFor("Filter:")
        try await phone.type(text)
        try await phone.keys("Enter")
        try await phone.waitFor("a sent REGISTER through the filter", timeout: slow) {
            $0.split(separator: "\n").contains { $0.contains("→ REGISTER") }
        }
        try await phone.keys("G")
        for _ in 0..<6 {
            try await phone.keys("Enter")
            let raw = try await phone.waitFor("any other key closes")
            try await phone.keys("Escape")
            try await phone.waitFor("the raw message closing") { !$0.contains("any other key closes") }
            if raw.contains("Sent to 127.0.0.1:15060"), raw.contains("REGISTER sip:sipterm.test SIP/2.0") {
                try await phone.keys("/", "Escape")  // the filter off again
                return raw
            }
            try await phone.keys("k")
        }
        throw NotFound(description: "no sent REGISTER containing \(text) in the trace")
    }

    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The trace rows of REGISTERs sent, as shown.
    static func sentRegisters(_ screen: String) -> [String] {
        screen.split(separator: "\n").filter { $0.contains("→ REGISTER") }.map(String.init)
    }
}
