import SIPUserAgent
import TerminalUI
import Testing

@testable import SoftphoneApp

@Suite("Settings form: generated from the table")
struct SettingsFormTableTests {
    @Test("every parameter lands in a section and has a row")
    func everyParameterPlaced() {
        for parameter in Parameters.all {
            #expect(SettingsSection.of(parameter.name) != nil, "\(parameter.name) has no section")
        }
        let form = makeForm()
        #expect(form.fields.map(\.name).sorted() == Parameters.all.map(\.name).sorted())
    }

    @Test("each parameter's row is reachable and shows its name at 80×24")
    func everyRowDrawn() {
        var form = makeForm()
        for parameter in Parameters.all {
            let found = form.select(parameter.name)
            #expect(found)
            let buffer = form.drawn()
            #expect(buffer.text.contains(parameter.fileKey), "\(parameter.name) not drawn")
            #expect(buffer.text.contains(parameter.help.prefix(40)), "\(parameter.name) help not drawn")
        }
    }

    @Test("editors follow the parameter type")
    func editorKinds() {
        let form = makeForm()
        func editor(_ name: String) -> SettingsEditor? { form.fields.first { $0.name == name }?.editor }
        #expect(editor("uri") == .sipURI)
        #expect(editor("password") == .secret)
        #expect(editor("ha1") == .secret)
        #expect(editor("register") == .toggle)
        #expect(editor("register_expires") == .integer)
        #expect(editor("session_timers_refresh_method") == .choice(["UPDATE", "INVITE"]))
        #expect(editor("sipterm.dtmf_transport") == .choice(["RFC2833", "INFO"]))
        #expect(editor("sipterm.theme") == .choice(settingsThemes))
        #expect(editor("sockets") == .sockets)
        #expect(editor("extra_headers") == .lines)
        #expect(editor("sipterm.codecs") == .lines)
        #expect(editor("instance_id") == .uuid)
    }

    @Test("defaults are shown for unset parameters")
    func defaultsShown() {
        var form = makeForm()
        for parameter in Parameters.all where settingsBase[parameter.name] == nil {
            form.select(parameter.name)
            let buffer = form.drawn(width: 120, height: 30)
            guard let y = buffer.fieldRow(parameter.fileKey) else {
                Issue.record("\(parameter.name) row missing")
                continue
            }
            let row = buffer.line(y)
            if parameter.defaultValue != nil {
                #expect(row.contains("(default)"), "\(parameter.name): \(row)")
            } else {
                #expect(row.contains("(default: "), "\(parameter.name): \(row)")
            }
        }
    }
}

@Suite("Settings form: validation per editor")
struct SettingsFormValidationTests {
    /// Valid values are accepted (and normalised by the parameter's validator).
    @Test(
        "valid values accepted",
        arguments: [
            ("uri", "bob@example.org", ConfigValue.string("sip:bob@example.org")),
            ("uri", "sips:carol@example.org", .string("sips:carol@example.org")),
            ("registrar_server", "registrar.example.org", .string("sip:registrar.example.org")),
            ("contact_uri", "sip:alice@192.0.2.1:5070", .string("sip:alice@192.0.2.1:5070")),
            ("display_name", "Zoë Ünicode 李", .string("Zoë Ünicode 李")),
            ("authorization_user", "1001", .string("1001")),
            ("register_expires", "300", .integer(300)),
            ("register_expires", "0", .integer(0)),
            ("no_answer_timeout", "90", .integer(90)),
            ("connection_recovery_max_interval", "60", .integer(60)),
            ("register_from_tag_trail", "abc-1", .string("abc-1")),
            (
                "instance_id", "uuid:1A1B2C3D-0000-4000-8000-0123456789AB",
                .string("1A1B2C3D-0000-4000-8000-0123456789AB")
            ),
            ("user_agent", "my phone", .string("my phone")),
            ("sipterm.auto_answer", "5", .integer(5)),
            ("sipterm.auto_answer", "immediately", .string("immediately")),
            ("sipterm.keepalive_interval", "0", .integer(0)),
            ("sipterm.audio_input", "file:/tmp/in.wav", .string("file:/tmp/in.wav")),
            ("realm", "example.com", .string("example.com")),
            ("ha1", "0123456789abcdef0123456789abcdef", .string("0123456789abcdef0123456789abcdef")),
            ("authorization_jwt", "Bearer xyz", .string("Bearer xyz")),
        ])
    func accepted(name: String, text: String, normalized: ConfigValue) {
        var form = makeForm()
        form.set(name, to: text)
        #expect(form.error(for: name) == nil)
        #expect(form.isValid)
        #expect(form.values[name] == normalized)
        let changed = form.hasUnappliedChanges
        #expect(changed)
    }

    /// Each class of invalid value is refused with the rule's own message.
    @Test(
        "invalid values rejected with their message",
        arguments: [
            ("uri", "sip:sips:alice@example.com", "has two schemes"),
            ("uri", "example.com", "needs a user part"),
            ("uri", "alice@", "not a SIP URI"),
            ("registrar_server", "sip:alice@example.com", "must not have a user part"),
            ("contact_uri", "no uri here", "not a SIP URI"),
            ("authorization_user", "a\"b", "bare double quote"),
            ("authorization_user", "ends\\", "unescaped backslash"),
            ("register_expires", "soon", "must be a whole number"),
            ("register_expires", "-5", "must be at least 0"),
            ("no_answer_timeout", "0", "must be greater than 0"),
            ("connection_recovery_max_interval", "1.5", "must be a whole number"),
            ("register_from_tag_trail", "a b", "token characters"),
            ("instance_id", "not-a-uuid", "must be a UUID"),
            ("sipterm.auto_answer", "later", "\"off\", \"immediately\""),
            ("sipterm.keepalive_interval", "-1", "must be at least 0"),
        ])
    func rejected(name: String, text: String, message: String) {
        var form = makeForm()
        form.set(name, to: text)
        let error = form.error(for: name)
        #expect(error?.contains(message) == true, "\(name)=\(text): \(error ?? "no error")")
        #expect(!form.isValid)
        // The message naming the rule is drawn under the rows, the label in the error role.
        let buffer = form.drawn()
        #expect(buffer.text.contains(message))
        let key = Parameters.named(name)?.fileKey ?? name
        if let y = buffer.fieldRow(key), let x = buffer.column(of: key, y: y) {
            #expect(buffer[x, y].style.fg == Theme.builtIn[.error].fg)
        } else {
            Issue.record("row of \(name) not found")
        }
    }

    @Test("a URI is checked as it is typed")
    func uriCheckedWhileTyping() {
        var form = makeForm()
        form.select("uri")
        _ = form.handle(.enter)
        _ = form.handle(.ctrl("u"))
        form.type("sip:sips:x@y")
        #expect(form.editError?.contains("has two schemes") == true)
        #expect(form.drawn().text.contains("has two schemes"))
        _ = form.handle(.escape)
        #expect(form.value(of: "uri") == .string("sip:alice@example.com"))
        #expect(form.isValid)
    }

    @Test("whole-form rules: a min above the max recovery interval is valid (as JsSIP), mandatory parameters")
    func crossField() {
        var form = makeForm()
        form.set("connection_recovery_min_interval", to: "50")
        #expect(form.error(for: "connection_recovery_min_interval") == nil)
        #expect(form.isValid)
        form.set("uri", to: "")
        #expect(form.error(for: "uri")?.contains("missing") == true)
    }

    @Test("Apply is refused while a field is invalid, and drawn dim")
    func applyRefused() {
        var form = makeForm()
        form.set("register_expires", to: "x")
        #expect(form.handle(.character("a")) == nil)
        #expect(form.confirm == nil)
        let buffer = form.drawn()
        #expect(buffer.text.contains("Apply is disabled"))
        guard let y = buffer.row(containing: "[ Apply F5 ]"), let x = buffer.column(of: "[ Apply F5 ]", y: y) else {
            Issue.record("no Apply button")
            return
        }
        #expect(buffer[x, y].style.attributes.contains(.dim))
        #expect(form.handle(.character("s")) == nil)
    }
}

@Suite("Settings form: editors")
struct SettingsFormEditorTests {
    @Test("toggle with Space and Enter")
    func toggle() {
        var form = makeForm()
        form.select("register")
        #expect(form.handle(.character(" ")) == nil)
        #expect(form.value(of: "register") == .bool(false))
        _ = form.handle(.enter)
        #expect(form.value(of: "register") == .bool(true))
        #expect(!form.hasUnappliedChanges)  // true is the default, as running
        _ = form.handle(.character(" "))
        #expect(form.drawn().text.contains("off"))
    }

    @Test("choice cycles with ←/→/Space; the theme previews")
    func choice() {
        var form = makeForm()
        form.select("session_timers_refresh_method")
        _ = form.handle(.right)
        #expect(form.value(of: "session_timers_refresh_method") == .string("INVITE"))
        _ = form.handle(.right)
        #expect(form.value(of: "session_timers_refresh_method") == .string("UPDATE"))
        _ = form.handle(.left)
        #expect(form.value(of: "session_timers_refresh_method") == .string("INVITE"))
        form.select("sipterm.dtmf_transport")
        _ = form.handle(.character(" "))
        #expect(form.value(of: "sipterm.dtmf_transport") == .string("INFO"))
        form.select("sipterm.theme")
        #expect(form.handle(.right) == .previewTheme("high-contrast"))
        #expect(form.handle(.left) == .previewTheme("default"))
        #expect(form.handle(.left) == .previewTheme("monochrome"))
    }

    @Test("secret masked in the buffer, revealed by v, never in errors")
    func secret() {
        var form = makeForm()
        form.select("password")
        var text = form.drawn().text
        #expect(!text.contains("s3cret-pw"))
        #expect(text.contains("••••"))
        _ = form.handle(.character("v"))
        text = form.drawn().text
        #expect(text.contains("s3cret-pw"))
        _ = form.handle(.character("v"))
        // While editing, typed characters are masked too.
        _ = form.handle(.enter)
        form.type("X")
        text = form.drawn().text
        #expect(!text.contains("s3cret-pw"))
        #expect(!text.contains("X"))
        _ = form.handle(.enter)
        #expect(form.value(of: "password") == .string("s3cret-pwX"))
    }

    @Test("instance_id: g generates a new UUID")
    func generateUUID() {
        var form = makeForm()
        form.select("instance_id")
        _ = form.handle(.character("g"))
        let value = form.value(of: "instance_id")?.stringValue ?? ""
        #expect(value.count == 36)
        #expect(value != "0a1b2c3d-0000-4000-8000-0123456789ab")
        #expect(form.isValid)
        #expect(form.changes["instance_id"] == .string(value))
    }

    @Test("x resets a field to its default; an emptied field applies as \"\"")
    func reset() {
        var form = makeForm(current: settingsBase.merging(["register_expires": .integer(300)]) { $1 })
        form.select("register_expires")
        _ = form.handle(.character("x"))
        #expect(form.value(of: "register_expires") == nil)
        #expect(form.changes == ["register_expires": .string("")])
        #expect(form.drawn().text.contains("600 (default)"))
    }

    @Test("sockets: add, weight, reorder, remove, connection state")
    func sockets() {
        var form = makeForm()
        form.setSocketStates(["udp://127.0.0.1:5060": "connected"])
        form.select("sockets")
        _ = form.handle(.enter)  // into the list: first socket
        #expect(form.selectedLine == .item(field: form.fields.firstIndex { $0.name == "sockets" } ?? -1, index: 0))
        #expect(form.drawn(width: 100).text.contains("connected"))
        _ = form.handle(.character("n"))  // new socket after it, edited at once
        form.type("tcp://127.0.0.1:5061")
        _ = form.handle(.enter)
        _ = form.handle(.character("+"))
        _ = form.handle(.character("+"))
        #expect(
            form.values["sockets"]
                == .array([
                    .string("udp://127.0.0.1:5060"),
                    .table(["url": .string("tcp://127.0.0.1:5061"), "weight": .integer(2)]),
                ]))
        #expect(form.drawn(width: 100).text.contains("weight 2"))
        _ = form.handle(.character("K"))  // move up
        #expect(form.fields.first { $0.name == "sockets" }?.socketItems.first?.url == "tcp://127.0.0.1:5061")
        _ = form.handle(.character("d"))
        #expect(form.fields.first { $0.name == "sockets" }?.socketItems.map(\.url) == ["udp://127.0.0.1:5060"])
        _ = form.handle(.character("d"))
        #expect(form.error(for: "sockets")?.contains("missing") == true)
        // A bad URL is refused with the socket parser's message.
        _ = form.handle(.enter)  // on "add"
        form.type("ftp://x")
        _ = form.handle(.enter)
        #expect(form.error(for: "sockets") != nil)
    }

    @Test("extra_headers: one header line per row")
    func extraHeaders() {
        var form = makeForm()
        form.select("extra_headers")
        _ = form.handle(.enter)  // no items yet: Enter starts the first
        form.type("X-Foo: bar")
        _ = form.handle(.enter)
        #expect(form.values["extra_headers"] == .array([.string("X-Foo: bar")]))
        _ = form.handle(.character("n"))
        form.type("NoColon")
        #expect(form.editError?.contains("not a header line") == true)
        _ = form.handle(.enter)
        #expect(form.error(for: "extra_headers")?.contains("not a header line") == true)
        _ = form.handle(.enter)
        _ = form.handle(.ctrl("u"))
        form.type("Bad Name: x")
        _ = form.handle(.enter)
        #expect(form.error(for: "extra_headers")?.contains("not a token") == true)
        _ = form.handle(.character("d"))
        #expect(form.isValid)
        // Esc on a new, empty item drops it.
        _ = form.handle(.character("n"))
        _ = form.handle(.escape)
        #expect(form.values["extra_headers"] == .array([.string("X-Foo: bar")]))
    }

    @Test("codecs: a list of known codec names")
    func codecs() {
        var form = makeForm()
        form.select("sipterm.codecs")
        _ = form.handle(.enter)  // no items yet: Enter starts the first
        form.type("opus")
        _ = form.handle(.enter)
        #expect(form.values["sipterm.codecs"] == .array([.string("opus")]))
        _ = form.handle(.character("n"))
        form.type("G729")
        _ = form.handle(.enter)
        #expect(form.error(for: "sipterm.codecs")?.contains("unknown codec") == true)
        _ = form.handle(.enter)
        _ = form.handle(.ctrl("u"))
        form.type("opus")
        _ = form.handle(.enter)
        #expect(form.error(for: "sipterm.codecs")?.contains("listed twice") == true)
    }

    @Test("navigation: j/k, arrows, PgUp/PgDn between sections")
    func navigation() {
        var form = makeForm()
        #expect(form.selectedSection == .account)
        _ = form.handle(.pageDown)
        #expect(form.selectedSection == .authentication)
        _ = form.handle(.pageDown)
        #expect(form.selectedSection == .registration)
        _ = form.handle(.pageUp)
        #expect(form.selectedSection == .authentication)
        let here = form.selectedParameter
        _ = form.handle(.character("j"))
        #expect(form.selectedParameter != here)
        _ = form.handle(.character("k"))
        #expect(form.selectedParameter == here)
        _ = form.handle(.up)
        #expect(form.selectedSection == .account)
        _ = form.handle(.end)
        #expect(form.selectedSection == .interface)
    }
}

@Suite("Settings form: key bindings and secrecy")
struct SettingsFormBindingTests {
    @Test("sipterm.keys: one action = keys row per binding")
    func bindings() {
        var form = makeForm()
        form.select("sipterm.keys")
        _ = form.handle(.enter)  // no bindings yet: Enter starts the first
        form.type("answer = F3, a")
        _ = form.handle(.enter)
        #expect(form.values["sipterm.keys"] == .table(["answer": .array([.string("F3"), .string("a")])]))
        _ = form.handle(.character("n"))
        form.type("hangup")
        _ = form.handle(.enter)
        #expect(form.error(for: "sipterm.keys")?.contains("must be a key name") == true)
        _ = form.handle(.character("d"))
        #expect(form.isValid)
        let loaded = makeForm(current: settingsBase.merging(["sipterm.keys": .table(["dial": .string("F2")])]) { $1 })
        #expect(loaded.fields.first { $0.name == "sipterm.keys" }?.lineItems == ["dial = F2"])
        #expect(!loaded.hasUnappliedChanges)
    }

    @Test("descriptions of the form and its requests mask secrets")
    func masked() {
        var form = makeForm()
        form.set("password", to: "hunter2")
        #expect(!String(describing: form).contains("hunter2"))
        #expect(!String(reflecting: form).contains("hunter2"))
        _ = form.handle(.character("a"))
        let request = form.handle(.character("y"))
        #expect(request == .apply(["password": .string("hunter2")]))
        #expect(!String(describing: request).contains("hunter2"))
        #expect(String(describing: request).contains("••••"))
    }
}
