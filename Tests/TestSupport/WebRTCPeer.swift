import Foundation

/// The aiortc WebRTC peer (`peers/aiortc/webrtc_peer.py`, run through `scripts/peers aiortc`)
/// as a browser JsSIP user: it registers over WS at the shared Kamailio and places or answers
/// one call; its stdout is JSON lines ending with a `result`.
public final class WebRTCPeer: Sendable {
    public let user: String
    let process: BackgroundProcess

    /// Starts the peer with `arguments` (`--answer …` or `--call URI …`); fails loudly when the
    /// venv is missing (`scripts/peers install aiortc` makes it; the test script runs that).
    public init(user: String, _ arguments: [String]) async throws {
        let kamailio = try await Kamailio.running()
        self.user = user
        process = try BackgroundProcess(
            "/usr/bin/env",
            ["SIPTERM_PEERS_DIR=\(kamailio.directory)", "/bin/bash", Baresip.script, "aiortc", "-u", user] + arguments,
            name: "aiortc-\(user)")
    }

    /// Every JSON line printed so far.
    public var lines: [[String: Any]] {
        process.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Waits for a line with this `event` (and, for `call`, this `state`).
    @discardableResult
    public func event(_ name: String, state: String? = nil, timeout: Double = 30) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = lines.first(where: {
                $0["event"] as? String == name && (state == nil || $0["state"] as? String == state)
            }) {
                return line
            }
            if lines.contains(where: { $0["event"] as? String == "result" }), name != "result" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BackgroundProcess.Failure(
            "aiortc peer \(user): no \(name) \(state ?? "") within \(timeout) s\nstdout:\n\(process.stdout)\nstderr:\n\(String(process.stderr.suffix(3000)))"
        )
    }

    /// The final `result` line, once the peer has ended its call and exited.
    public func result(timeout: Double = 60) async throws -> [String: Any] {
        try await event("result", timeout: timeout)
    }

    public func stop() { process.terminate() }
}
