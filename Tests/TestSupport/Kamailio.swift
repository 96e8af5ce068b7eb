import Foundation
import SIPTransport

/// A Kamailio on 127.0.0.1 started through `scripts/peers` (the same script CI uses). Tests that
/// need it fail with the script's own words when it cannot start; they never skip.
public struct Kamailio: Sendable {
    public var directory: String
    public var sipPort: Int
    public var tlsPort: Int
    public var wsPort: Int
    public var wssPort: Int
    /// Where it listens (IPv4), and the network namespace it runs in: 127.0.0.1 in this one by
    /// default.
    public var listenIP: String?
    public var netns: String?

    public init(
        directory: String, sipPort: Int, tlsPort: Int, wsPort: Int, wssPort: Int, listenIP: String? = nil,
        netns: String? = nil
    ) {
        self.directory = directory
        self.sipPort = sipPort
        self.tlsPort = tlsPort
        self.wsPort = wsPort
        self.wssPort = wssPort
        self.listenIP = listenIP
        self.netns = netns
    }

    /// The test CA that signed the server certificate (what a user puts in tls_ca_file).
    public var certificate: String { directory + "/kamailio/ca.pem" }

    /// The shared instance on the default ports, started once per test run.
    public static let shared = Kamailio(
        directory: "/tmp/sipterm-peers", sipPort: 15060, tlsPort: 15061, wsPort: 15080, wssPort: 15443)
    /// rtpengine first: Kamailio's rtpengine module pings the relay as each worker starts, and a
    /// worker that found it dead may refuse bridged calls until its own retry.
    private static let started = Task {
        try await shared.run("start", "rtpengine")
        try await shared.run("start")
    }

    public static func running() async throws -> Kamailio {
        try await started.value
        return shared
    }

    public func url(_ kind: TransportKind) throws -> SocketURL {
        switch kind {
        case .udp: return try SocketURL(parsing: "udp://127.0.0.1:\(sipPort)")
        case .tcp: return try SocketURL(parsing: "tcp://127.0.0.1:\(sipPort)")
        case .tls: return try SocketURL(parsing: "tls://localhost:\(tlsPort)")
        case .ws: return try SocketURL(parsing: "ws://127.0.0.1:\(wsPort)/")
        case .wss: return try SocketURL(parsing: "wss://localhost:\(wssPort)/")
        }
    }

    public struct ScriptFailed: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Runs `scripts/peers <verb> kamailio` for this instance.
    /// Kamailio with rtpengine beside it: calls between a WebRTC endpoint and a plain-RTP one
    /// are bridged through it.
    public static func runningWithRelay() async throws -> Kamailio { try await running() }

    public func run(_ verb: String, _ peer: String = "kamailio") async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = ["/bin/bash", root.appendingPathComponent("scripts/peers").path, verb, peer]
        var environment = [
            "SIPTERM_PEERS_DIR": directory, "SIPTERM_KAMAILIO_SIP_PORT": String(sipPort),
            "SIPTERM_KAMAILIO_TLS_PORT": String(tlsPort), "SIPTERM_KAMAILIO_WS_PORT": String(wsPort),
            "SIPTERM_KAMAILIO_WSS_PORT": String(wssPort),
        ]
        if let listenIP { environment["SIPTERM_KAMAILIO_LISTEN_IP"] = listenIP }
        let command =
            netns.map { Command("/usr/sbin/ip", ["netns", "exec", $0] + script, environment: environment) }
            ?? Command(script[0], Array(script.dropFirst()), environment: environment)
        let result = try await command.run()
        guard result.status == 0 else {
            throw ScriptFailed(
                description:
                    "scripts/peers \(verb) \(peer) failed (is it installed? run scripts/peers install as root):\n\(result.stdout)\(result.stderr)"
            )
        }
    }
}
