import Foundation
import TestSupport
import Testing

/// `sipterm agent` run as a script runs it: JSON Lines in, JSON Lines out, against Kamailio.
@Suite("sipterm agent", .serialized)
struct AgentCommandTests {
    /// An empty config file, so only `--set` values count.
    static let emptyConfig: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipterm-empty-\(UUID().uuidString).toml"
        ).path
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        return path
    }()

    func agent(
        _ arguments: [String], input: [String]
    ) async throws -> (status: Int32, lines: [[String: Any]], stderr: String) {
        let result = try await Command(
            try Binaries.sipterm(), ["agent"] + arguments, input: Array(input.map { $0 + "\n" }.joined().utf8)
        ).run()
        let lines = result.stdout.split(separator: "\n").map { line -> [String: Any] in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? ["unparsed": String(line)]
        }
        return (result.status, lines, result.stderr)
    }

    @Test func missingParameterExitsWithStatus2() async throws {
        let noConfig = try await agent(["--config", "/nonexistent/sipterm.toml"], input: [])
        #expect(noConfig.status == 2)
        #expect(noConfig.stderr.contains("/nonexistent/sipterm.toml"))
        #expect(noConfig.stderr.split(separator: "\n").count == 1)
        let bad = try await agent(
            [
                "--config", Self.emptyConfig, "--set", "uri=alice@sipterm.test", "--set",
                #"sockets=["udp://127.0.0.1:15060"]"#,
                "--set", "no_answer_timeout=0",
            ], input: [])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("sipterm agent: no_answer_timeout:"))
        #expect(bad.lines.isEmpty)
    }

    @Test func scriptedSession() async throws {
        let kamailio = try await Kamailio.running()
        let (status, lines, _) = try await agent(
            [
                "--config", Self.emptyConfig, "--trace", "--set", "uri=sip:alice@sipterm.test", "--set",
                "sockets=[\"\(try kamailio.url(.tcp))\"]", "--set", "password=alice-secret", "--set",
                "display_name=\"Alice ¶€ĸø\"",
            ],
            input: [
                #"{"id":1,"cmd":"wait","event":"registered","timeout":10}"#,
                #"{"id":2,"cmd":"sendMessage","target":"alice","body":"note to self"}"#,
                #"{"id":3,"cmd":"wait","event":"newMessage","timeout":5}"#,
                #"{"id":4,"cmd":"get","param":"password"}"#,
                #"{"id":5,"cmd":"set","param":"register_expires","value":"soon"}"#,
                #"{"id":6,"cmd":"status"}"#,
                #"{"id":7,"cmd":"frobnicate"}"#,
                #"{"id":8,"cmd":"stop"}"#,
            ])
        #expect(status == 0)
        func reply(_ id: Int) -> [String: Any]? { lines.first { $0["id"] as? Int == id } }
        #expect(reply(1)?["ok"] as? Bool == true)
        #expect(reply(2)?["status_code"] as? Int == 200)
        // Registered: the answered password has left memory for its ha1 (JsSIP's ua.set('ha1')).
        #expect(reply(4)?["ok"] as? Bool == true)
        #expect(reply(4)?["value"] as? String == nil, "\(reply(4) ?? [:])")
        #expect(reply(5)?["ok"] as? Bool == false)
        #expect((reply(5)?["error"] as? String)?.contains("register_expires") == true)
        let registration = (reply(6)?["status"] as? [String: Any])?["registration"] as? [String: Any]
        #expect(registration?["registered"] as? Bool == true)
        #expect(reply(7)?["ok"] as? Bool == false)
        let received = lines.first { $0["event"] as? String == "newMessage" && $0["originator"] as? String == "remote" }
        #expect(received?["body"] as? String == "note to self")
        #expect(received?["from"] as? String == "sip:alice@sipterm.test")
        // Traces: every message, credentials masked, the display name quoted in From.
        let traces = lines.filter { $0["event"] as? String == "sipTrace" }.compactMap { $0["message"] as? String }
        #expect(
            traces.contains {
                $0.hasPrefix("REGISTER ") && $0.contains("From: \"Alice ¶€ĸø\" <sip:alice@sipterm.test>;tag=")
            })
        #expect(traces.contains { $0.contains("Authorization: Digest") })
        #expect(!traces.contains { $0.range(of: #"response="[0-9a-f]{32}""#, options: .regularExpression) != nil })
        #expect(lines.allSatisfy { $0["unparsed"] == nil })
    }
}
