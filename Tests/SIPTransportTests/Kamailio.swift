import Foundation
import SIPMessage
import TestSupport
import Testing

@testable import SIPTransport

/// A Kamailio on 127.0.0.1 started through `scripts/peers` (the same script CI uses). Tests that
/// need it fail with the script's own words when it cannot start; they never skip.
struct Kamailio: Sendable {
    var directory: String
    var sipPort: Int
    var tlsPort: Int
    var wsPort: Int
    var wssPort: Int

    /// The test CA that signed the server certificate (what a user puts in tls_ca_file).
    var certificate: String { directory + "/kamailio/ca.pem" }

    /// The shared instance on the default ports, started once per test run.
    static let shared = Kamailio(
        directory: "/tmp/sipterm-peers", sipPort: 15060, tlsPort: 15061, wsPort: 15080, wssPort: 15443)
    private static let started = Task { try await shared.run("start") }

    static func running() async throws -> Kamailio {
        try await started.value
        return shared
    }

    func url(_ kind: TransportKind) throws -> SocketURL {
        switch kind {
        case .udp: return try SocketURL(parsing: "udp://127.0.0.1:\(sipPort)")
        case .tcp: return try SocketURL(parsing: "tcp://127.0.0.1:\(sipPort)")
        case .tls: return try SocketURL(parsing: "tls://localhost:\(tlsPort)")
        case .ws: return try SocketURL(parsing: "ws://127.0.0.1:\(wsPort)/")
        case .wss: return try SocketURL(parsing: "wss://localhost:\(wssPort)/")
        }
    }

    struct ScriptFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `scripts/peers <verb> kamailio` for this instance.
    func run(_ verb: String) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let command = Command(
            "/bin/bash", [root.appendingPathComponent("scripts/peers").path, verb, "kamailio"],
            environment: [
                "SIPTERM_PEERS_DIR": directory, "SIPTERM_KAMAILIO_SIP_PORT": String(sipPort),
                "SIPTERM_KAMAILIO_TLS_PORT": String(tlsPort), "SIPTERM_KAMAILIO_WS_PORT": String(wsPort),
                "SIPTERM_KAMAILIO_WSS_PORT": String(wssPort),
            ])
        let result = try await command.run()
        guard result.status == 0 else {
            throw ScriptFailed(
                description:
                    "scripts/peers \(verb) kamailio failed (is Kamailio installed? run scripts/peers install as root):\n\(result.stdout)\(result.stderr)"
            )
        }
    }
}

/// Builds an OPTIONS to the server itself, as a UA would send it on this connection.
func options(to url: SocketURL, on connection: Connection, cseq: UInt32 = 1) -> (request: SIPRequest, branch: String) {
    let branch = "z9hG4bK" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    var request = SIPRequest(method: .options, uri: .sip(SIPURI(host: url.host, port: UInt16(url.port))))
    let wsHost = "sipterm0test.invalid"
    request.headers.append("Via", connection.via(branch: branch, webSocketHost: wsHost).description)
    request.headers.append("Max-Forwards", "70")
    request.headers.append("To", "<sip:\(url.host.description)>")
    request.headers.append("From", "<sip:probe@sipterm.test>;tag=\(UInt32.random(in: 1...UInt32.max))")
    request.headers.append("Call-ID", "\(UInt64.random(in: 1...UInt64.max))@sipterm.test")
    request.headers.append("CSeq", "\(cseq) OPTIONS")
    request.headers.append("Contact", "<\(connection.contactURI(user: "probe", webSocketHost: wsHost))>")
    request.setBody([])
    return (request, branch)
}

/// Waits for the first inbound response whose top Via has `branch`.
func response(
    on events: AsyncStream<ConnectionEvent>, branch: String, timeout: Duration = .seconds(5)
) async throws -> ReceivedMessage {
    try await withThrowingTaskGroup(of: ReceivedMessage?.self) { group in
        group.addTask {
            for await event in events {
                if case .message(let received) = event, let response = received.message.response,
                    try response.via.first?.branch == branch
                {
                    return received
                }
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let received = first else {
            throw Kamailio.ScriptFailed(description: "no response with branch \(branch) within \(timeout)")
        }
        return received
    }
}

typealias Timed = (at: ContinuousClock.Instant, event: TransportEvent)

/// Collects transport events until `until` says stop or the timeout passes, and returns all
/// seen. Call it once per stream: cancelling an AsyncStream's consumer finishes the stream.
func collect(
    _ events: AsyncStream<TransportEvent>, timeout: Duration, until: @escaping @Sendable ([Timed]) -> Bool
) async -> [Timed] {
    let log = EventLog()
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            for await event in events {
                if await log.add((.now, event), until) { return }
            }
        }
        group.addTask { try? await Task.sleep(for: timeout) }
        await group.next()
        group.cancelAll()
    }
    return await log.seen
}

actor EventLog {
    var seen: [Timed] = []
    func add(_ item: Timed, _ until: ([Timed]) -> Bool) -> Bool {
        seen.append(item)
        return until(seen)
    }
}
