import Foundation

/// A baresip phone registered at the test Kamailio as `user`, started and driven through
/// `scripts/peers` (the same script CI uses). It answers every call at once.
public struct Baresip: Sendable {
    public var user: String
    public var sipPort: Int
    /// How it registers: `udp` or `tls`.
    public var transport: String
    /// Its account's `mediaenc` (`srtp-mand` for SDES), or nil for plain RTP.
    public var mediaEncryption: String?
    /// More account parameters, e.g. `;pubint=60` (PUBLISH presence every minute).
    public var accountParameters: String
    /// Lines of its contacts file, e.g. `"Hal" <sip:hal@sipterm.test>;presence=p2p`.
    public var contacts: [String]

    public init(
        user: String, sipPort: Int, transport: String = "udp", mediaEncryption: String? = nil,
        accountParameters: String = "", contacts: [String] = []
    ) {
        self.user = user
        self.sipPort = sipPort
        self.transport = transport
        self.mediaEncryption = mediaEncryption
        self.accountParameters = accountParameters
        self.contacts = contacts
    }

    /// Its RTP ports (what `scripts/peers` gives it: SIP port + 1000 … + 1009).
    public var rtpPorts: ClosedRange<Int> { (sipPort + 1000)...(sipPort + 1009) }

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/peers").path

    public var directory: String { Kamailio.shared.directory + "/baresip-" + user }
    public var log: String { (try? String(contentsOfFile: directory + "/baresip.log", encoding: .utf8)) ?? "" }

    @discardableResult
    func peers(_ arguments: [String]) async throws -> String {
        let result = try await Command(
            "/bin/bash", [Self.script] + arguments,
            environment: [
                "SIPTERM_PEERS_DIR": Kamailio.shared.directory, "SIPTERM_BARESIP_SIP_PORT": String(sipPort),
                "SIPTERM_BARESIP_TRANSPORT": transport, "SIPTERM_BARESIP_MEDIAENC": mediaEncryption ?? "",
                "SIPTERM_BARESIP_ACCOUNT_EXTRA": accountParameters,
                "SIPTERM_BARESIP_CONTACTS": contacts.joined(separator: "\n"),
            ]
        ).run()
        guard result.status == 0 else {
            throw Kamailio.ScriptFailed(
                description:
                    "scripts/peers \(arguments.joined(separator: " ")) failed:\n\(result.stdout)\(result.stderr)")
        }
        return result.stdout
    }

    /// Starts it (Kamailio first) and returns once it is registered.
    public func start() async throws {
        _ = try await Kamailio.running()
        try await peers(["restart", "baresip", user])
    }

    public func stop() async throws { try await peers(["stop", "baresip", user]) }

    /// A ctrl_tcp command (`dial sip:…`, `hangup`, …).
    @discardableResult
    public func command(_ words: String...) async throws -> String {
        try await peers(["baresip-cmd", user] + words)
    }

    /// Waits until its log has a line containing `text`.
    public func waitForLog(_ text: String, timeout: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !log.contains(text) {
            guard Date() < deadline else {
                throw Kamailio.ScriptFailed(
                    description: "baresip \(user) never logged \"\(text)\"; log tail:\n\(log.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
