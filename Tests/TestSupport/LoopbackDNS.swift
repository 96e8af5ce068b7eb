import SIPTransport

/// dnsmasq on 127.0.0.1:15353 serving the test zone `sipterm.test` (peers/dns/sipterm.test.conf),
/// started through `scripts/peers start dns` once per test run, as CI does. A test that needs
/// it fails with the script's words when it cannot start.
public enum LoopbackDNS {
    public static let port = 15353
    /// What a test gives `sipterm.dns_servers`.
    public static let server = "127.0.0.1:\(port)"

    private static let started = Task { try await Kamailio.shared.run("start", "dns") }

    /// The settings that ask the test server, once it runs.
    public static func running() async throws -> DNSSettings {
        try await started.value
        return DNSSettings(servers: [server])
    }
}
