import Foundation
import TestSupport
import Testing

/// The phone's network interface removed and restored under it. Two network namespaces of the
/// test's own, joined by a veth pair (10.254.0.1 for Kamailio, 10.254.0.2 for the phone: the
/// addresses exist only inside those namespaces, nothing else can reach them). Removing the
/// phone's end of the pair leaves its TCP socket open in the kernel; the phone must notice that
/// its address is gone, report the disconnection, retry with JsSIP's backoff (every wait within
/// connection_recovery_min/max_interval), and register again once the interface is back, with
/// its configuration as the user gave it.
@Suite("network loss in a namespace of the test's own", .serialized)
struct NetworkLossTests {
    static let tag = String(ProcessInfo.processInfo.processIdentifier % 100_000)
    static let server = "sipterm-srv-\(tag)"
    static let phone = "sipterm-ph-\(tag)"
    static let kamailio = Kamailio(
        directory: "/tmp/sipterm-peers-netloss", sipPort: 17260, tlsPort: 17261, wsPort: 17280, wssPort: 17643,
        listenIP: "10.254.0.1", netns: server)

    @discardableResult
    static func ip(_ arguments: String...) async throws -> String {
        let result = try await Command("/usr/sbin/ip", arguments).run()
        guard result.status == 0 else {
            throw Kamailio.ScriptFailed(description: "ip \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }

    /// The veth pair between the namespaces, addressed and up: the phone's network.
    static func plugIn() async throws {
        try await ip(
            "link", "add", "stA\(tag)", "netns", server, "type", "veth", "peer", "name", "stB\(tag)", "netns", phone)
        try await ip("-n", server, "addr", "add", "10.254.0.1/24", "dev", "stA\(tag)")
        try await ip("-n", phone, "addr", "add", "10.254.0.2/24", "dev", "stB\(tag)")
        try await ip("-n", server, "link", "set", "stA\(tag)", "up")
        try await ip("-n", phone, "link", "set", "stB\(tag)", "up")
    }

    static func setUp() async throws {
        await tearDown()
        for namespace in [server, phone] {
            try await ip("netns", "add", namespace)
            try await ip("-n", namespace, "link", "set", "lo", "up")
        }
        try await plugIn()
        try await kamailio.run("start")
    }

    static func tearDown() async {
        try? await kamailio.run("stop")
        for namespace in [server, phone] { _ = try? await ip("netns", "del", namespace) }
    }

    @Test func theInterfaceRemovedAndRestoredAndThePhoneRegistersAgain() async throws {
        try await Self.setUp()
        let agent = try AgentProcess(
            [
                "uri=sip:lara@sipterm.test", "password=lara-secret", "display_name=\"Lara Typed\"",
                "sockets=[\"tcp://10.254.0.1:\(Self.kamailio.sipPort)\"]", "connection_recovery_min_interval=1",
                "connection_recovery_max_interval=3", "sipterm.audio_input=\"null\"", "sipterm.audio_output=\"null\"",
            ], name: "netloss-lara", netns: Self.phone)
        do {
            try await agent.event("registered", timeout: 20)

            // The phone's end of the pair goes (deleting one end of a veth removes both).
            let removed = ContinuousClock.now
            try await Self.ip("-n", Self.phone, "link", "del", "stB\(Self.tag)")
            let lost = try await agent.event("disconnected", timeout: 10)
            let noticed = ContinuousClock.now - removed
            #expect(noticed < .seconds(5), "the phone noticed the lost interface after \(noticed)")
            #expect((lost["reason"] as? String ?? "").contains("network lost"), "\(lost)")

            // Down for a while: each retry fails and waits within the recovery interval.
            try await Task.sleep(for: .seconds(5))
            let stamps = ISO8601DateFormatter()
            stamps.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let attempts = agent.lines.filter { $0["event"] as? String == "connecting" }.compactMap {
                ($0["timestamp"] as? String).flatMap(stamps.date(from:))
            }.filter { $0 > Date() - 6 }
            let waits = zip(attempts, attempts.dropFirst()).map { $1.timeIntervalSince($0) }
            #expect(waits.count >= 1, "retries while the network was down: \(attempts)")
            // Each wait is the backoff's (1…3 s) plus the failed attempt itself (no route: at once).
            #expect(waits.allSatisfy { $0 >= 0.9 && $0 <= 4 }, "waits between attempts outside 1…3 s: \(waits)")
            try await Self.plugIn()
            let restored = ContinuousClock.now
            try await agent.event("connected", timeout: 15)
            try await agent.event("registered", timeout: 15)
            let back = ContinuousClock.now - restored
            #expect(back < .seconds(8), "registered again \(back) after the interface came back")

            print("network loss: noticed after \(noticed), waits between attempts \(waits), registered \(back) after")
            let status = try await agent.command(["cmd": "status"])
            #expect("\(status)".contains("Lara Typed"), "the configuration changed: \(status)")
        } catch {
            await agent.stop()
            await Self.tearDown()
            throw error
        }
        await agent.stop()
        await Self.tearDown()
    }
}
