import Foundation
import TestSupport
import Testing

/// `sipterm inspect` run as a person runs it: the built binary, a file or stdin, exit status,
/// JSON on stdout and one line on stderr.
@Suite("sipterm inspect")
struct InspectCommandTests {
    /// Runs the binary off the cooperative pool: a blocking wait there would stall every other test.
    func run(_ arguments: [String], stdin: [UInt8]? = nil) async throws -> Command.Result {
        try await Command(try Binaries.sipterm(), arguments, input: stdin).run()
    }

    func path(_ name: String) throws -> String {
        try #require(Fixtures.torture.first { $0.name == name }).path
    }

    @Test func validMessageAsJSON() async throws {
        let result = try await run(["inspect", try path("esc01")])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["kind"] as? String == "request")
        #expect(json["method"] as? String == "INVITE")
        let uri = try #require(json["request_uri"] as? [String: Any])
        #expect(uri["user"] as? String == "sips:user@example.com")
        #expect(json["body_length"] as? Int == 150)
        let headers = try #require(json["headers"] as? [[String: Any]])
        #expect(headers.first?["name"] as? String == "To")
        let contact = try #require(headers.first { $0["name"] as? String == "Contact" })
        let parsed = try #require((contact["parsed"] as? [[String: Any]])?.first)
        let parameters = try #require((parsed["uri"] as? [String: Any])?["parameters"] as? [String: Any])
        #expect(parameters["name"] as? String == "value%41")
    }

    @Test func invalidMessageFailsWithOneLine() async throws {
        let result = try await run(["inspect", try path("quotbal")])
        #expect(result.status == 1)
        #expect(result.stderr == "invalid SIP message (a UAS answers 400): line 2: unterminated quoted string in To\n")
        let garbage = try await run(["inspect", "-"], stdin: Array("hello\r\n\r\n".utf8))
        #expect(garbage.status == 1)
        #expect(garbage.stdout.isEmpty)
        #expect(garbage.stderr.hasPrefix("invalid SIP message: line 1:"))
        #expect(garbage.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test func textFormatFromStdin() async throws {
        let message =
            "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:a@x>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=\"x\", nonce=\"n\"\r\nContent-Length: 0\r\n\r\n"
        let result = try await run(["inspect", "--format", "text", "-"], stdin: Array(message.utf8))
        #expect(result.status == 0)
        #expect(result.stdout.contains("status_code: 401"))
        #expect(result.stdout.contains("realm: x"))
    }

    @Test func secretsAreMasked() async throws {
        let message =
            "REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:a@x>\r\nCall-ID: c1\r\nCSeq: 2 REGISTER\r\nAuthorization: Digest username=\"a\", realm=\"x\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\"\r\nContent-Length: 0\r\n\r\n"
        let result = try await run(["inspect", "-"], stdin: Array(message.utf8))
        #expect(result.status == 0)
        #expect(!result.stdout.contains("0123456789abcdef"))
        #expect(result.stdout.contains("\"username\":\"a\""))
    }

    @Test func missingFileIsAClearError() async throws {
        let result = try await run(["inspect", "/nonexistent/file.sip"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot read /nonexistent/file.sip"))
    }

    /// The phone itself is tested in a terminal (PhoneTerminalTests); without one it says where to go.
    @Test func phoneWithoutATerminalSaysWhatToUse() async throws {
        let result = try await run([])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("needs a terminal"))
        #expect(result.stderr.contains("sipterm agent"))
    }
}
