import Foundation
import Glibc
import Testing

@testable import SIPMedia

/// Handshake cost between two of our endpoints over loopback UDP, on one thread. No assertion on
/// time (CI machines vary). Set DTLS_TIMING_FILE to a path to get the mean written there.
@Suite(.serialized) struct DTLSTimingTests {
    static let rounds = 20

    /// One full handshake over two sockets; returns the elapsed time, or nil if it did not connect.
    static func loopbackHandshake(client: DTLSEndpoint, server: DTLSEndpoint) throws -> Duration? {
        let clientSocket = try UDPSocket()
        let serverSocket = try UDPSocket()
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(5)
        for d in client.start().datagrams { clientSocket.send(d, to: serverSocket.port) }
        var connected = 0
        while connected < 2 && clock.now < deadline {
            var fds = [
                pollfd(fd: serverSocket.fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: clientSocket.fd, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&fds, 2, 1000) > 0 else { continue }
            if fds[0].revents != 0, let (d, _) = serverSocket.receive(timeout: .zero) {
                let out = server.receive(d)
                if out.event?.keys != nil { connected += 1 }
                for r in out.datagrams { serverSocket.send(r, to: clientSocket.port) }
            }
            if fds[1].revents != 0, let (d, _) = clientSocket.receive(timeout: .zero) {
                let out = client.receive(d)
                if out.event?.keys != nil { connected += 1 }
                for r in out.datagrams { clientSocket.send(r, to: serverSocket.port) }
            }
        }
        return connected == 2 ? clock.now - started : nil
    }

    @Test func loopbackHandshakeTime() throws {
        var total = Duration.zero
        for _ in 0..<Self.rounds {
            let (client, server) = try makePair()  // certificate generation is not timed
            let elapsed = try #require(try Self.loopbackHandshake(client: client, server: server))
            total += elapsed
        }
        let certificateClock = ContinuousClock()
        let certStart = certificateClock.now
        for _ in 0..<Self.rounds { _ = try DTLSCertificate() }
        let certificateTime = (certificateClock.now - certStart) / Self.rounds
        if let path = ProcessInfo.processInfo.environment["DTLS_TIMING_FILE"] {
            let text =
                "handshake mean over \(Self.rounds): \(total / Self.rounds); certificate generation mean: \(certificateTime)\n"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
