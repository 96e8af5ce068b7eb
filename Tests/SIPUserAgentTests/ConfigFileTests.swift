import Foundation
import SIPMessage
import Testing

@testable import SIPUserAgent

@Suite struct ConfigFileTests {
    @Test func defaultPath() {
        #expect(
            ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"])
                == "/x/cfg/sipterm/config.toml")
        #expect(ConfigFile.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.config/sipterm/config.toml")
        #expect(
            ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/home/a"])
                == "/home/a/.config/sipterm/config.toml")
        #expect(ConfigFile(path: "/explicit.toml", environment: ["XDG_CONFIG_HOME": "/x"]).path == "/explicit.toml")
    }

    @Test func roundTrip() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let configuration = try Configuration([
            "sockets": .array([
                .string("wss://a.example/ws"), .table(["url": .string("tls://b.example"), "weight": .integer(3)]),
            ]),
            "uri": .string("alice@example.com"), "password": .string("p\"w\\1"), "display_name": .string("Ålice \"A\""),
            "register_expires": .integer(0), "extra_headers": .array([.string("X-A: 1"), .string("X-B: two")]),
            "session_timers": .bool(false), "no_answer_timeout": .integer(60),
            "sipterm.codecs": .array([.string("PCMA")]), "sipterm.auto_answer": .integer(4),
            "sipterm.store_ha1": .bool(false), "sipterm.theme": .string("dark"),
        ])
        let file = ConfigFile(path: scratch.path + "/sub/dir/config.toml")
        try file.write(configuration)
        let (loaded, warnings) = try file.load()
        #expect(warnings.isEmpty)
        #expect(loaded == configuration)
        #expect(loaded.password == "p\"w\\1")
        #expect(loaded.sockets == configuration.sockets)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(!text.contains("no_answer_timeout"), "defaults are not written")
        // Saved as written: no port is added, so SRV still decides it (RFC 3263).
        #expect(text.contains("{ url = \"tls://b.example\", weight = 3 }"))
        #expect(text.contains("[sipterm]\n"))
        #expect(text.contains("instance_id = "))
        let directoryMode =
            try FileManager.default.attributesOfItem(atPath: scratch.path + "/sub/dir")[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
    }

    @Test func storeHA1ReplacesPassword() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let configuration = try Configuration(
            minimal.merging(["password": .string("secret"), "realm": .string("example.com")]) { _, new in new })
        let file = ConfigFile(path: scratch.path + "/config.toml")
        try file.write(configuration)
        let loaded = try file.load().configuration
        #expect(loaded.password == nil)
        #expect(loaded.ha1 == DigestAlgorithm.md5.hash("alice:example.com:secret"))
        #expect(loaded.realm == "example.com")
    }

    @Test func modeIs0600() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = ConfigFile(path: scratch.path + "/config.toml")
        _ = FileManager.default.createFile(
            atPath: file.path, contents: Data("uri = \"x@y\"\n".utf8), attributes: [.posixPermissions: 0o644])
        try file.write(try build(["password": .string("x")]))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(leftovers == ["config.toml"])
    }

    @Test func failedWriteKeepsOldFile() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // A parent that is a regular file makes every write fail, even for root.
        let blocker = scratch.path + "/blocker"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("old\n".utf8))
        let file = ConfigFile(path: blocker + "/config.toml")
        let error = #expect(throws: ConfigFileError.self) { try file.write(try build([:])) }
        #expect(error?.description.contains(file.path) == true)
        #expect(try String(contentsOfFile: blocker, encoding: .utf8) == "old\n")

        // The old file survives a failed rename too: the target is a non-empty directory.
        let target = scratch.path + "/config.toml"
        try FileManager.default.createDirectory(atPath: target + "/inner", withIntermediateDirectories: true)
        let renameFailure = #expect(throws: ConfigFileError.self) { try ConfigFile(path: target).write(try build([:])) }
        #expect(renameFailure?.description.contains("rename") == true)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["blocker", "config.toml"])
    }

    @Test func unknownKeysWarn() throws {
        let file = ConfigFile(path: "/tmp/test.toml")
        let contents = try file.parse(
            """
            uri = "alice@example.com"
            sockets = ["wss://a.example"]
            colour = "red"
            ws_servers = "wss://old"
            theme = "dark"

            [sipterm]
            theme = "dark"
            volume = 11
            """)
        #expect(contents.values["sipterm.theme"] == .string("dark"))
        #expect(contents.values["uri"] == .string("alice@example.com"))
        #expect(contents.values["theme"] == nil)
        #expect(contents.warnings.count == 4)
        for key in ["'colour'", "'ws_servers'", "'theme'", "'sipterm.volume'"] {
            #expect(contents.warnings.contains { $0.contains(key) }, "\(key)")
        }
        #expect(contents.warnings.contains { $0.contains("use sockets") })
        _ = try Configuration(contents.values)
    }

    @Test func syntaxErrorHasLine() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path + "/config.toml"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("uri = \"alice@example.com\"\n\nregister = tru\n".utf8))
        let error = #expect(throws: ConfigFileError.self) { try ConfigFile(path: path).read() }
        guard case .syntax(let file, let line, _, let reason) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(line == 3)
        #expect(!reason.isEmpty)
        #expect(error?.description.hasPrefix(path + ":3:") == true)
    }

    /// toml++ (inside TOMLKit) aborted the process on a `}` where an array expects a value; found
    /// by FuzzConfig. Each such text is a syntax error at the brace, and nothing else is refused.
    @Test(arguments: [
        ("sockets = [}\"wss://x\"]\n", 1, 12), ("a = 1\nsockets = [ \"ws://x\", }\n", 2, 23),
        ("x = [ # a comment ]\n\n  }", 3, 3), ("x = [[1], [}]]", 1, 12),
    ])
    func aBraceWhereAnArrayWantsAValueIsASyntaxError(_ text: String, line: Int, column: Int) {
        let error = #expect(throws: ConfigFileError.self) { try ConfigFile(path: "c.toml").parse(text) }
        #expect(
            error == .syntax(path: "c.toml", line: line, column: column, reason: "expected a value or ']', saw '}'"))
        #expect(ConfigValue(literal: "[}") == .string("[}"), "--set keeps text that is not TOML")
    }

    /// toml++ also asserted on a table header with nothing after it on its line (FuzzConfig).
    @Test(arguments: [("[\n", 1, 1), ("a = 1\n  [[ \r\n", 2, 3), ("[", 1, 1)])
    func aTableHeaderWithoutANameIsASyntaxError(_ text: String, line: Int, column: Int) {
        let error = #expect(throws: ConfigFileError.self) { try ConfigFile(path: "c.toml").parse(text) }
        #expect(error == .syntax(path: "c.toml", line: line, column: column, reason: "expected a table name after '['"))
    }

    @Test func arraysOpenedAtALinesEndAreNotHeaders() throws {
        let text = "extra_headers = [\n  \"X-A: 1\",\n]\nx = [\n[\n1]]\n[sipterm]\n"
        let contents = try ConfigFile(path: "c.toml").parse(text)
        #expect(contents.values["extra_headers"] == .array([.string("X-A: 1")]))
    }

    @Test func bracesInsideStringsAndCommentsAreNotSyntax() throws {
        let text = #"""
            display_name = "[}"
            user_agent = '[, }'
            extra_headers = ["X-A: \"[}", """
            [}"""", '''[
            }''']  # [}
            """#
        let contents = try ConfigFile(path: "c.toml").parse(text)
        #expect(contents.values["display_name"] == .string("[}"))
        #expect(contents.values["user_agent"] == .string("[, }"))
        #expect(
            contents.values["extra_headers"] == .array([.string(#"X-A: "[}"#), .string(#"[}""#), .string("[\n}")]))
    }

    @Test func missingFileIsUnreadable() {
        let error = #expect(throws: ConfigFileError.self) { try ConfigFile(path: "/nonexistent/sipterm.toml").read() }
        #expect(error?.description.contains("/nonexistent/sipterm.toml") == true)
    }

    @Test func fileValuesAreValidated() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path + "/config.toml"
        _ = FileManager.default.createFile(
            atPath: path,
            contents: Data("uri = \"alice@example.com\"\nsockets = \"wss://a\"\nregister = \"true\"\n".utf8))
        #expect(throws: ConfigurationFailure.self) { try ConfigFile(path: path).load() }
        let (configuration, _) = try ConfigFile(path: path).load(overrides: ["register": ConfigValue(literal: "false")])
        #expect(!configuration.register)
    }
}
