import SIPMessage
import Testing

@testable import SIPTransport

@Suite("Sockets, weights and recovery")
struct SocketTests {
    @Test(arguments: [
        ("ws://127.0.0.1:15080", TransportKind.ws, "127.0.0.1", 15080, "/"),
        ("wss://sip.example.com/ws", .wss, "sip.example.com", 443, "/ws"),
        ("udp://[::1]:5070", .udp, "::1", 5070, ""),
        ("tcp://Example.COM", .tcp, "example.com", 5060, ""),
        ("tls://localhost:15061", .tls, "localhost", 15061, ""),
        ("sip:proxy.example.com;transport=tcp", .tcp, "proxy.example.com", 5060, ""),
        ("sips:proxy.example.com:5071", .tls, "proxy.example.com", 5071, ""),
        ("sip:127.0.0.1:8080;transport=ws", .ws, "127.0.0.1", 8080, "/"),
    ])
    func parsesSocketURLs(_ text: String, kind: TransportKind, host: String, port: Int, path: String) throws {
        let url = try SocketURL(parsing: text)
        #expect(url.kind == kind)
        #expect(url.host.address == host)
        #expect(url.port == port)
        #expect(url.path == path)
        #expect(try SocketURL(parsing: url.description) == url)
    }

    @Test(arguments: [
        "example.com", "http://example.com", "ws://", "tcp://host:0", "tcp://host:70000", "udp://host/path",
        "ws://user@host", "sip:bob@proxy", "sip:proxy;transport=sctp", "tcp://ho st",
    ])
    func refusesBadSocketURLs(_ text: String) {
        #expect(throws: SocketURL.Invalid.self) { try SocketURL(parsing: text) }
    }

    @Test func sipURIForPreloadedRoute() throws {
        #expect(
            try SocketURL(parsing: "wss://proxy.example.com:8443/ws").sipURI.description
                == "sip:proxy.example.com:8443;transport=wss;lr")
    }

    @Test func socketsParameterNamesTheBadEntry() throws {
        let entries = try SocketEntry.parse([
            .url("udp://127.0.0.1:5060"), .table(url: "ws://127.0.0.1:8080", weight: 5),
        ])
        #expect(entries.map(\.weight) == [0, 5])
        #expect(throws: ConfigurationError(parameter: "sockets", reason: "at least one socket is needed")) {
            try SocketEntry.parse([])
        }
        do {
            _ = try SocketEntry.parse([.url("udp://127.0.0.1"), .url("ftp://x")])
            Issue.record("accepted ftp://x")
        } catch {
            #expect(error.parameter == "sockets")
            #expect(error.reason.contains("entry 2"))
            #expect(error.reason.contains("ftp://x"))
        }
        #expect(throws: ConfigurationError.self) { try SocketEntry.parse([.table(url: nil, weight: 1)]) }
        #expect(throws: ConfigurationError.self) { try SocketEntry.parse([.table(url: "tcp://h", weight: -1)]) }
    }

    func list(_ weights: [Int]) throws -> SocketList {
        SocketList(
            try weights.enumerated().map {
                SocketEntry(url: try SocketURL(parsing: "tcp://h\($0.offset):5060"), weight: $0.element)
            })
    }

    @Test func highestWeightWinsAndFailuresAreSkipped() throws {
        var random = SystemRandomNumberGenerator()
        var sockets = try list([1, 10, 5])
        #expect(sockets.choose(using: &random) == 1)
        sockets.markFailed(1)
        #expect(sockets.choose(using: &random) == 2)
        sockets.markFailed(2)
        #expect(sockets.choose(using: &random) == 0)
        sockets.markFailed(0)
        // Every socket has failed: the marks are reset and the best one is tried again.
        #expect(sockets.choose(using: &random) == 1)
        #expect(sockets.failed.isEmpty)
    }

    @Test func tiesAreBrokenAtRandom() throws {
        var random = SystemRandomNumberGenerator()
        var sockets = try list([3, 3, 3, 1])
        var seen: [Int: Int] = [:]
        for _ in 0..<3000 { seen[sockets.choose(using: &random), default: 0] += 1 }
        #expect(seen[3] == nil)
        for index in 0..<3 { #expect((800...1200).contains(seen[index] ?? 0)) }
    }

    @Test func jssipRecoveryFormula() {
        let backoff = RecoveryBackoff(minimum: 2, maximum: 30)
        // k = floor(random * 2^n + 1), clamped to [min, max].
        #expect(backoff.delay(attempt: 1, fraction: 0) == 2)
        #expect(backoff.delay(attempt: 1, fraction: 0.99) == 2)
        #expect(backoff.delay(attempt: 3, fraction: 0.5) == 5)
        #expect(backoff.delay(attempt: 3, fraction: 0.99) == 8)
        #expect(backoff.delay(attempt: 6, fraction: 0.99) == 30)
        #expect(backoff.delay(attempt: 100, fraction: 0.0) == 2)
        var random = SystemRandomNumberGenerator()
        for attempt in 1...20 {
            let delay = backoff.delay(attempt: attempt, using: &random)
            #expect(delay >= 2 && delay <= min(30, (1 << min(attempt, 30)) + 1))
        }
    }
}

@Suite("Stream framing")
struct StreamFramerTests {
    let message = Array("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 5\r\n\r\nhello".utf8)

    @Test func partialReads() throws {
        var framer = StreamFramer()
        for byte in message.dropLast() {
            framer.append([byte])
            #expect(try framer.next() == nil)
        }
        framer.append([message[message.count - 1]])
        #expect(try framer.next() == .message(message))
        #expect(framer.buffered == 0)
    }

    @Test func coalescedMessagesAndKeepAlives() throws {
        var framer = StreamFramer()
        framer.append([0x0D, 0x0A, 0x0D, 0x0A] + message + message + [0x0D, 0x0A] + message.prefix(10))
        #expect(try framer.next() == .ping)
        #expect(try framer.next() == .message(message))
        #expect(try framer.next() == .message(message))
        #expect(try framer.next() == .pong)
        #expect(try framer.next() == nil)
        #expect(framer.buffered == 10)
        framer.append(message.dropFirst(10))
        #expect(try framer.next() == .message(message))
    }

    @Test func unrecoverableFraming() {
        var missing = StreamFramer()
        missing.append(Array("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n".utf8))
        #expect(throws: StreamFramer.Failure.self) { try missing.next() }
        var negative = StreamFramer()
        negative.append(Array("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -999\r\n\r\n".utf8))
        #expect(throws: StreamFramer.Failure.self) { try negative.next() }
        var conflicting = StreamFramer()
        conflicting.append(Array("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab".utf8))
        #expect(throws: StreamFramer.Failure.self) { try conflicting.next() }
        var endless = StreamFramer(maxMessageSize: 100)
        endless.append([UInt8](repeating: 0x41, count: 101))
        #expect(throws: StreamFramer.Failure.self) { try endless.next() }
        var huge = StreamFramer(maxMessageSize: 100)
        huge.append(Array("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n".utf8))
        #expect(throws: StreamFramer.Failure.self) { try huge.next() }
    }
}
