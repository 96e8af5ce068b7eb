import Foundation
import SIPMessage
import SIPUserAgent
import TerminalUI
import Testing

@testable import SoftphoneApp

@Suite("Settings form: apply, save, revert, close")
struct SettingsApplyTests {
    @Test("a next-request change applies at once with only the changed names")
    func applyNextRequest() {
        var form = makeForm()
        form.set("display_name", to: "Alice Ü")
        #expect(form.handle(.character("a")) == .apply(["display_name": .string("Alice Ü")]))
        #expect(form.drawn().text.contains("Applying"))
    }

    @Test("a re-register change asks first, saying what will happen")
    func confirmReRegister() {
        var form = makeForm()
        form.set("register_expires", to: "300")
        #expect(form.handle(.function(5)) == nil)
        let text = form.drawn().text
        #expect(text.contains("re-registers with the registrar"))
        #expect(text.contains("[ Yes ]"))
        #expect(form.handle(.character("n")) == nil)
        #expect(form.confirm == nil)
        _ = form.handle(.character("a"))
        #expect(form.handle(.enter) == .apply(["register_expires": .integer(300)]))
    }

    @Test("a reconnect change asks first")
    func confirmReconnect() {
        var form = makeForm()
        form.set("sipterm.keepalive_interval", to: "30")
        #expect(form.handle(.character("a")) == nil)
        #expect(form.drawn().text.contains("reconnects"))
        _ = form.handle(.right)  // No
        #expect(form.handle(.enter) == nil)
        #expect(form.confirm == nil)
        _ = form.handle(.character("a"))
        #expect(form.handle(.character("y")) == .apply(["sipterm.keepalive_interval": .integer(30)]))
    }

    @Test("rollback offered after a failed apply; yes applies the last working values")
    func rollback() {
        var form = makeForm()
        form.set("password", to: "wrong")
        form.set("realm", to: "example.com")
        _ = form.handle(.character("a"))
        #expect(
            form.handle(.character("y")) == .apply(["password": .string("wrong"), "realm": .string("example.com")]))
        form.report("re-registering …", isError: false)
        form.applyFailed("registration failed: 403 Forbidden")
        let text = form.drawn().text
        #expect(text.contains("403 Forbidden"))
        #expect(text.contains("Roll back"))
        guard case .apply(let values)? = form.handle(.character("y")) else {
            Issue.record("no rollback apply")
            return
        }
        #expect(values["password"] == .string("s3cret-pw"))
        #expect(values["realm"] == .string(""))
        #expect(values["uri"] == .string("sip:alice@example.com"))
        #expect(form.value(of: "password") == .string("s3cret-pw"))
        #expect(form.value(of: "realm") == nil)
    }

    @Test("applied values become the running and last working values")
    func applied() {
        var form = makeForm()
        form.set("display_name", to: "Bob")
        _ = form.handle(.character("a"))
        var running = settingsBase
        running["display_name"] = .string("Bob")
        form.applied(running)
        #expect(!form.hasUnappliedChanges)
        #expect(form.hasUnsavedChanges)
        form.set("password", to: "other")
        _ = form.handle(.character("a"))
        _ = form.handle(.character("y"))
        form.applyFailed("401")
        guard case .apply(let values)? = form.handle(.character("y")) else {
            Issue.record("no rollback")
            return
        }
        #expect(values["display_name"] == .string("Bob"))
        #expect(values["password"] == .string("s3cret-pw"))
    }

    @Test("save returns the form's full values; saved() clears unsaved")
    func save() {
        var form = makeForm(saved: [:])
        #expect(form.hasUnsavedChanges)
        form.set("display_name", to: "Carol")
        #expect(form.handle(.character("s")) == .save(form.values))
        #expect(form.values["display_name"] == .string("Carol"))
        #expect(form.values["uri"] == .string("sip:alice@example.com"))
        form.saved(form.values)
        #expect(!form.hasUnsavedChanges)
        let changed = form.hasUnappliedChanges
        #expect(changed)
    }

    @Test("a password saved as ha1 counts as saved")
    func ha1CountsAsSaved() {
        var saved = settingsBase
        saved["realm"] = .string("example.com")
        saved["password"] = nil
        saved["ha1"] = .string(DigestAlgorithm.md5.hash("alice:example.com:s3cret-pw"))
        var current = settingsBase
        current["realm"] = .string("example.com")
        let form = makeForm(current: current, saved: saved)
        #expect(!form.hasUnsavedChanges)
    }

    @Test("close asks when there are unapplied or unsaved changes")
    func close() {
        var form = makeForm()
        #expect(form.handle(.escape) == .close)
        form.set("display_name", to: "Dave")
        #expect(form.handle(.character("q")) == nil)
        #expect(form.drawn().text.contains("unapplied and unsaved"))
        #expect(form.handle(.escape) == nil)
        #expect(form.handle(.function(10)) == nil)
        #expect(form.handle(.character("y")) == .close)
    }

    @Test("q and Esc while editing belong to the edit")
    func escapeWhileEditing() {
        var form = makeForm()
        form.select("display_name")
        _ = form.handle(.enter)
        form.type("q")
        #expect(form.handle(.escape) == nil)
        #expect(form.value(of: "display_name") == nil)
        #expect(form.handle(.escape) == .close)
    }

    @Test("revert asks when changed, then returns .revert")
    func revert() {
        var form = makeForm()
        #expect(form.handle(.character("r")) == .revert)
        form.set("display_name", to: "Eve")
        #expect(form.handle(.character("r")) == nil)
        #expect(form.handle(.character("y")) == .revert)
    }

    @Test("report shows progress and errors")
    func report() {
        var form = makeForm()
        form.report("re-registering … 200 OK", isError: false)
        var buffer = form.drawn()
        #expect(buffer.text.contains("re-registering … 200 OK"))
        form.report("registration failed: 403 Forbidden", isError: true)
        buffer = form.drawn()
        guard let y = buffer.row(containing: "403 Forbidden"), let x = buffer.column(of: "registration", y: y) else {
            Issue.record("report not drawn")
            return
        }
        #expect(buffer[x, y].style == Theme.builtIn[.error])
    }
}

/// The agent re-registers while it applies, so the registrar's answer can reach the reducer
/// before the apply's own outcome does (seen on a loaded machine: the form said "re-registering …"
/// for good). What the server said meanwhile is kept and told once the apply returns.
@Suite("Settings form: the server's answer before the apply returns")
struct SettingsAnswerOrderTests {
    static func applying() -> AppState {
        var state = AppState()
        var form = makeForm()
        form.set("register_expires", to: "300")
        state.settings = form
        state.overlay = .settings
        _ = AppReducer.reduce(&state, .key(.character("a")))
        let effects = AppReducer.reduce(&state, .key(.character("y")))
        #expect(effects.contains { if case .settings(.apply) = $0 { true } else { false } }, "\(effects)")
        return state
    }

    static func applied(_ state: inout AppState) {
        var values = settingsBase
        values["register_expires"] = .integer(300)
        _ = AppReducer.reduce(&state, .settings(.applied(values: values, effect: .reRegister)))
    }

    @Test func aTwoHundredBeforeTheApplyReturns() {
        var state = Self.applying()
        let ok = "SIP/2.0 200 OK\r\nCall-ID: r1\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n"
        _ = AppReducer.reduce(
            &state,
            .event(.trace(direction: .received, transport: "UDP", remote: "127.0.0.1:5060", text: ok), at: Date()))
        #expect(state.settings?.drawn().text.contains("Re-registered") == false)
        Self.applied(&state)
        #expect(state.settings?.drawn().text.contains("Re-registered: 200 OK") == true)
        #expect(state.settingsWatch == nil)
    }

    @Test func aFailureBeforeTheApplyReturns() {
        var state = Self.applying()
        _ = AppReducer.reduce(
            &state,
            .event(.registrationFailed(cause: "Rejected", statusCode: 403, reasonPhrase: "Forbidden"), at: Date()))
        Self.applied(&state)
        let text = state.settings?.drawn().text ?? ""
        #expect(text.contains("registration failed: Rejected (403)"), "\(text)")
        #expect(text.contains("Roll back"))
    }

    @Test func theAnswerAfterTheApplyReturns() {
        var state = Self.applying()
        Self.applied(&state)
        #expect(state.settingsWatch == .waiting(.reRegister))
        #expect(state.settings?.drawn().text.contains("Applied; re-registering") == true)
        _ = AppReducer.reduce(
            &state,
            .event(.registrationFailed(cause: "Rejected", statusCode: 403, reasonPhrase: "Forbidden"), at: Date()))
        #expect(state.settings?.drawn().text.contains("registration failed: Rejected (403)") == true)
    }
}
