import Foundation
import SIPMessage
import TestSupport
import Testing

@testable import SIPTransport

/// Against a real Kamailio on 127.0.0.1: every transport carries a request and its response,
/// weights and failover pick the right socket, recovery survives a server restart with JsSIP's
/// delays, and an untrusted certificate is refused with a clear error.
@Suite("Transports against Kamailio", .serialized)
struct TransportInteropTests {
    func settings(trusting kamailio: Kamailio) -> ConnectionSettings {
        ConnectionSettings(tls: TLSSettings(caFile: kamailio.certificate), connectTimeout: .seconds(5))
    }

    @Test("OPTIONS gets 200 over each transport", arguments: TransportKind.allCases)
    func optionsOverEachTransport(_ kind: TransportKind) async throws {
        let kamailio = try await Kamailio.running()
        let url = try kamailio.url(kind)
        let connection = try await Connection.open(url, settings: settings(trusting: kamailio))
        let (request, branch) = options(to: url, on: connection)
        try await connection.send(request.serialized())
        let received = try await response(on: connection.events, branch: branch)
        let answer = try #require(received.message.response)
        #expect(answer.statusCode == 200)
        #expect(try answer.cseq == CSeq(1, .options))
        #expect(received.transport == kind)
        let via = try #require(try answer.via.first)
        #expect(via.transport == kind.viaTransport)
        if kind.isWebSocket {
            #expect(via.host == .domain("sipterm0test.invalid"))
        } else {
            // rport was requested: the server says which port it saw, which is ours.
            let reflexive = try #require(received.reflexiveAddress)
            #expect(reflexive.port.map(Int.init) == connection.localAddress?.port)
        }
        await connection.close()
    }

    @Test func oversizedDatagramIsRefused() async throws {
        let kamailio = try await Kamailio.running()
        let connection = try await Connection.open(try kamailio.url(.udp))
        var (request, _) = options(to: connection.url, on: connection)
        request.setBody([UInt8](repeating: UInt8(ascii: "a"), count: 70_000), contentType: .textPlain)
        await #expect(throws: TransportError.self) { try await connection.send(request.serialized()) }
        await connection.close()
    }

    @Test func untrustedCertificateIsRefused() async throws {
        let kamailio = try await Kamailio.running()
        for kind in [TransportKind.tls, .wss] {
            let url = try kamailio.url(kind)
            do {
                let connection = try await Connection.open(
                    url, settings: ConnectionSettings(connectTimeout: .seconds(5)))
                await connection.close()
                Issue.record("\(kind) connected to a server whose certificate is not trusted")
            } catch {
                #expect(error.isCertificateFailure, "\(error)")
                #expect(error.reason.contains("not trusted"))
                #expect(error.reason.contains("tls_ca_file"))
            }
        }
    }

    @Test func highestWeightIsUsed() async throws {
        let kamailio = try await Kamailio.running()
        let sockets = [
            SocketEntry(url: try kamailio.url(.tcp), weight: 1),
            SocketEntry(url: try kamailio.url(.ws), weight: 5),
            SocketEntry(url: try kamailio.url(.udp), weight: 0),
        ]
        let transport = Transport(sockets: sockets, options: .init(connection: settings(trusting: kamailio)))
        await transport.start()
        let events = await collect(transport.events, timeout: .seconds(10)) { seen in
            seen.contains { if case .connected = $0.event { true } else { false } }
        }
        #expect(events.first?.event == .connecting(socket: try kamailio.url(.ws), attempts: 0))
        #expect(events.last?.event == .connected(socket: try kamailio.url(.ws)))
        #expect(await transport.connection?.kind == .ws)
        await transport.stop()
    }

    @Test func failsOverToTheNextSocket() async throws {
        let kamailio = try await Kamailio.running()
        let dead = try SocketURL(parsing: "tcp://127.0.0.1:1")
        let sockets = [SocketEntry(url: dead, weight: 10), SocketEntry(url: try kamailio.url(.tcp), weight: 1)]
        let quick = Transport.Options(
            recovery: RecoveryBackoff(minimum: 1, maximum: 2), connection: settings(trusting: kamailio))
        let transport = Transport(sockets: sockets, options: quick)
        await transport.start()
        let events = await collect(transport.events, timeout: .seconds(15)) { seen in
            seen.contains { if case .connected = $0.event { true } else { false } }
        }.map(\.event)
        #expect(events.first == .connecting(socket: dead, attempts: 0))
        guard case .disconnected(let socket, true, _, let reason)? = events.dropFirst().first else {
            Issue.record("expected a failed attempt first, got \(events)")
            return
        }
        #expect(socket == dead)
        #expect(reason?.contains("127.0.0.1:1") == true)
        #expect(events.contains(.connecting(socket: try kamailio.url(.tcp), attempts: 1)))
        #expect(events.last == .connected(socket: try kamailio.url(.tcp)))
        #expect(await transport.attempts == 0)
        // The connection carries SIP.
        let connection = try #require(await transport.connection)
        let (request, branch) = options(to: connection.url, on: connection)
        async let answer = firstResponse(transport.inbound, branch: branch)
        try await transport.send(request.serialized())
        #expect(try await answer?.message.response?.statusCode == 200)
        await transport.stop()
    }

    func firstResponse(_ inbound: AsyncStream<Transport.Inbound>, branch: String) async throws -> ReceivedMessage? {
        for await item in inbound {
            if case .message(let received) = item, try received.message.response?.via.first?.branch == branch {
                return received
            }
        }
        return nil
    }

    /// Stops Kamailio under a connected transport, starts it again 6 s later, and checks that the
    /// transport reconnects with delays inside JsSIP's bounds. The delays are printed for the record.
    @Test func reconnectsAfterServerRestart() async throws {
        let kamailio = Kamailio(
            directory: "/tmp/sipterm-peers-restart", sipPort: 16060, tlsPort: 16061, wsPort: 16080, wssPort: 16443)
        try await kamailio.run("start")
        let backoff = RecoveryBackoff(minimum: 2, maximum: 30)
        let transport = Transport(
            sockets: [SocketEntry(url: try kamailio.url(.tcp))],
            options: .init(recovery: backoff, connection: settings(trusting: kamailio)))
        await transport.start()
        let restarter = Task {
            try await Task.sleep(for: .seconds(1))
            try await kamailio.run("stop")
            try await Task.sleep(for: .seconds(6))
            try await kamailio.run("start")
        }
        let events = await collect(transport.events, timeout: .seconds(60)) { seen in
            seen.filter { if case .connected = $0.event { true } else { false } }.count == 2
        }
        try await restarter.value
        await transport.stop()
        try await kamailio.run("stop")

        let connected = events.filter { if case .connected = $0.event { true } else { false } }
        #expect(connected.count == 2, "events: \(events.map(\.event))")
        let scheduled = events.compactMap { item -> (attempt: Int, delay: Int)? in
            if case .recoveryScheduled(let attempt, let delay) = item.event { return (attempt, delay) }
            return nil
        }
        #expect(!scheduled.isEmpty)
        for (index, entry) in scheduled.enumerated() {
            #expect(entry.attempt == index + 1)
            #expect(entry.delay >= backoff.minimum && entry.delay <= min(backoff.maximum, (1 << entry.attempt) + 1))
        }
        // Measured: from each scheduled recovery to the next connection attempt.
        var measured: [String] = []
        for (index, item) in events.enumerated() {
            guard case .recoveryScheduled(let attempt, let delay) = item.event,
                let next = events[(index + 1)...].first(where: {
                    if case .connecting = $0.event { true } else { false }
                })
            else { continue }
            let seconds =
                Double((next.at - item.at).components.attoseconds) / 1e18
                + Double((next.at - item.at).components.seconds)
            #expect(abs(seconds - Double(delay)) < 1.0)
            measured.append("attempt \(attempt): \(delay) s planned, \(String(format: "%.2f", seconds)) s measured")
        }
        print("reconnect delays after restart: " + measured.joined(separator: "; "))
    }
}
