import TestSupport
import Testing

@testable import SIPMedia

/// Hostile or broken input must never trap and never yield keys; the endpoint may ignore it or
/// fail, and further input after a failure is ignored.
@Suite struct DTLSGarbageTests {
    /// A DTLS 1.2 record header (type, version FEFD, epoch, 48-bit sequence, length) over `body`.
    static func record(
        type: UInt8, epoch: UInt16 = 0, sequence: UInt8 = 0, declaredLength: Int? = nil,
        body: [UInt8]
    ) -> [UInt8] {
        let length = declaredLength ?? body.count
        return [
            type, 0xFE, 0xFD, UInt8(epoch >> 8), UInt8(epoch & 0xFF), 0, 0, 0, 0, 0, sequence,
            UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF),
        ] + body
    }

    static func junk(_ count: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func corpus(clientHello: [UInt8]) -> [[UInt8]] {
        var rng = SplitMix64(seed: 7983)
        var inputs: [[UInt8]] = [[], [22], [22, 0xFE, 0xFD], Array(repeating: 0, count: 13)]
        for size in [1, 5, 12, 13, 14, 40, 200, 1500, 4000] {
            inputs.append(junk(size, &rng))
            var dtlsLooking = junk(size, &rng)
            dtlsLooking[0] = UInt8.random(in: 20...63, using: &rng)
            inputs.append(dtlsLooking)
        }
        for cut in [1, 13, 14, 25, clientHello.count / 2, clientHello.count - 1] where cut < clientHello.count {
            inputs.append(Array(clientHello.prefix(cut)))
        }
        for type: UInt8 in [20, 21, 22, 23, 24, 63] {
            inputs.append(record(type: type, body: junk(60, &rng)))
            inputs.append(record(type: type, body: []))
            inputs.append(record(type: type, epoch: 1, body: junk(48, &rng)))
            inputs.append(record(type: type, declaredLength: 0xFFFF, body: junk(30, &rng)))
        }
        // A handshake header claiming a huge message, and a ClientHello body of junk.
        inputs.append(record(type: 22, body: [1, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]))
        inputs.append(record(type: 22, body: [1, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 40] + junk(40, &rng)))
        // Two records in one datagram, the second truncated.
        inputs.append(record(type: 22, body: junk(20, &rng)) + Array(record(type: 22, body: junk(20, &rng)).prefix(18)))
        return inputs
    }

    @Test func garbageNeverCrashesOrConnects() throws {
        let probe = try makePair()
        let clientHello = try #require(probe.client.start().datagrams.first)
        for input in Self.corpus(clientHello: clientHello) {
            // Against a fresh server, a client waiting for the server's flight, and a connected pair.
            let (client, server) = try makePair()
            let serverOutput = server.receive(input)
            #expect(serverOutput.event?.keys == nil)
            #expect(server.state != .connected)

            _ = client.start()
            let clientOutput = client.receive(input)
            #expect(clientOutput.event?.keys == nil)
            #expect(client.state != .connected)

            let (c2, s2) = try makePair()
            _ = pump(client: c2, server: s2)
            #expect(c2.receive(input).event?.keys == nil)
            #expect(s2.receive(input).event?.keys == nil)
            _ = c2.handleTimeout()
            _ = s2.handleTimeout()
        }
    }

    @Test func mutatedHandshakeDatagramsNeverCrash() throws {
        var rng = SplitMix64(seed: 5764)
        let probe = try makePair()
        let clientHello = try #require(probe.client.start().datagrams.first)
        for _ in 0..<200 {
            var mutated = clientHello
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let (_, server) = try makePair()
            let output = server.receive(mutated)
            #expect(output.event?.keys == nil)
            // After a failure the endpoint ignores everything.
            if case .failed = server.state {
                #expect(server.receive(clientHello) == DTLSOutput())
            }
        }
    }

    @Test func nonDTLSDatagramsAreIgnoredAndHandshakeStillCompletes() throws {
        let (client, server) = try makePair()
        var rng = SplitMix64(seed: 3711)
        for first: UInt8 in [0, 1, 3, 4, 19, 64, 127, 128, 191, 192, 255] {
            let input = [first] + DTLSGarbageTests.junk(100, &rng)
            #expect(server.receive(input) == DTLSOutput())
            _ = client.start()
            #expect(client.receive(input) == DTLSOutput())
        }
        #expect(server.state == .handshaking)
        let result = pump(client: client, server: server)
        #expect(result.clientKeys != nil)
        #expect(result.serverKeys != nil)
    }

    @Test func tinyMTUSplitsFlightsAndStillConnects() throws {
        // The record packer must cut flights at record boundaries to fit 256 bytes.
        let clientCert = try DTLSCertificate()
        let serverCert = try DTLSCertificate()
        let client = try DTLSEndpoint(
            role: .client, certificate: clientCert, peerFingerprint: serverCert.fingerprint,
            mtu: 256, initialRetransmitTimeout: .milliseconds(50))
        let server = try DTLSEndpoint(
            role: .server, certificate: serverCert, peerFingerprint: clientCert.fingerprint,
            mtu: 256, initialRetransmitTimeout: .milliseconds(50))
        let result = pump(client: client, server: server)
        #expect(result.clientKeys != nil)
        #expect(result.serverKeys?.remoteKey == result.clientKeys?.localKey)
    }
}
