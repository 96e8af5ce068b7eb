import Foundation
import SIPMessage
import SIPTransport
import TestSupport
import Testing

@testable import SIPUserAgent

/// Registrar behaviour Kamailio does not show, forced with sipp scenarios: a 423 with
/// Min-Expires, and a 200 that confirms no binding.
@Suite("Registrar quirks (sipp)", .serialized)
struct RegistrarQuirkTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func sipp(_ scenario: String, port: Int, extra: [String] = []) -> Task<Command.Result, Error> {
        Task {
            try await Command(
                "/usr/bin/sipp",
                [
                    "-sf", Self.root.appendingPathComponent("peers/sipp/\(scenario)").path, "-m", "1", "-i",
                    "127.0.0.1",
                    "-p", String(port), "-t", "u1", "-nostdin", "-recv_timeout", "20s", "-timeout", "30s",
                    "-timeout_error",
                ] + extra
            ).run()
        }
    }

    func client(port: Int, expires: Int) throws -> TestUA {
        try TestUA(
            user: "alice",
            extra: [
                "sockets": .array([.string("udp://127.0.0.1:\(port)")]), "register_expires": .integer(expires),
            ])
    }

    @Test func intervalTooBriefIsRetriedWithMinExpires() async throws {
        let registrar = sipp("registrar-423.xml", port: 5391)
        try await Task.sleep(for: .milliseconds(500))
        let client = try client(port: 5391, expires: 30)
        await client.ua.start()
        guard case .registered(_, _, let expires) = try await client.wait(for: "registered", isRegistered) else {
            return
        }
        #expect(expires == 120)
        let registers = await client.sent().filter { $0.hasPrefix("REGISTER ") }
        #expect(registers.count == 2)
        #expect(registers.first.flatMap { header("Expires", in: $0) } == "30")
        #expect(registers.last.flatMap { header("Expires", in: $0) } == "120")
        await client.ua.stop()  // un-registers, which ends the scenario
        let result = try await registrar.value
        #expect(result.status == 0, "sipp: \(result.stderr)")
    }

    @Test func okWithoutOurContactIsReported() async throws {
        let registrar = sipp("registrar-no-contact.xml", port: 5392, extra: ["-set", "stop_after_first", "yes"])
        try await Task.sleep(for: .milliseconds(500))
        let client = try client(port: 5392, expires: 600)
        await client.ua.start()
        guard
            case .registrationFailed(let cause, let code, _) = try await client.wait(
                for: "registrationFailed", isRegistrationFailed)
        else { return }
        #expect(cause == "Missing Contact")
        #expect(code == 200)
        #expect(await client.ua.status().registered == false)
        await client.ua.stop()
        let result = try await registrar.value
        #expect(result.status == 0, "sipp: \(result.stderr)")
    }

    @Test func staleNonceIsAnsweredOnceMore() async throws {
        let registrar = sipp("registrar-stale.xml", port: 5393)
        try await Task.sleep(for: .milliseconds(500))
        let client = try client(port: 5393, expires: 600)
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        let registers = await client.sent().filter { $0.hasPrefix("REGISTER ") }
        #expect(registers.count == 3)
        #expect(registers.last.flatMap { header("Authorization", in: $0) }?.contains(#"nonce="second-nonce""#) == true)
        #expect(registers.map { header("CSeq", in: $0) } == ["1 REGISTER", "2 REGISTER", "3 REGISTER"])
        await client.ua.stop()
        let result = try await registrar.value
        #expect(result.status == 0, "sipp: \(result.stderr)")
    }

    @Test func plainReChallengeIsNotAnsweredAgain() async throws {
        let registrar = sipp("registrar-rechallenge.xml", port: 5394)
        try await Task.sleep(for: .milliseconds(500))
        let client = try client(port: 5394, expires: 600)
        await client.ua.start()
        guard
            case .registrationFailed(let cause, let code, _) = try await client.wait(
                for: "registrationFailed", isRegistrationFailed)
        else { return }
        #expect(cause == "Authentication Error")
        #expect(code == 401)
        try await Task.sleep(for: .milliseconds(500))
        #expect(await client.sent().filter { $0.hasPrefix("REGISTER ") }.count == 2)
        await client.ua.stop()
        let result = try await registrar.value
        #expect(result.status == 0, "sipp: \(result.stderr)")
    }
}
