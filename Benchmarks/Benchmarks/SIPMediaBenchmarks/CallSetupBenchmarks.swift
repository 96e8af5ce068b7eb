// What a secured call costs to set up. The DTLS handshake: a client and a server endpoint (this
// run's ECDSA P-256 certificate each) exchanging datagrams in memory until both hold SRTP keys:
// the CPU a DTLS-SRTP call spends on its keys. Call setup: two RTP sessions on loopback UDP in
// one process, from opening the sockets through offer, answer and the answer applied until the
// callee has received its first audio packet, per media profile: plain is the baseline, dtls
// adds the handshake on the media path, webrtc adds ICE (paced checks, nomination) before it.
import Benchmark
import Foundation
import SIPMedia

/// One in-memory DTLS handshake to completion; false when it did not complete.
func handshake(_ certificate: DTLSCertificate, _ peer: DTLSCertificate) -> Bool {
    guard let client = try? DTLSEndpoint(role: .client, certificate: certificate, peerFingerprint: peer.fingerprint),
        let server = try? DTLSEndpoint(role: .server, certificate: peer, peerFingerprint: certificate.fingerprint)
    else { return false }
    var toServer = server.start().datagrams + client.start().datagrams
    var toClient: [[UInt8]] = []
    for _ in 0..<20 where client.keys == nil || server.keys == nil {
        for datagram in toServer { toClient += server.receive(datagram).datagrams }
        toServer = []
        for datagram in toClient { toServer += client.receive(datagram).datagrams }
        toClient = []
    }
    return client.keys != nil && server.keys != nil
}

/// One call set up on loopback in `profile` until the callee has audio; closes both sessions.
func setUpCall(_ profile: MediaProfile) async throws {
    let caller = try await RTPSession.open(
        localAddress: "127.0.0.1", offerAnswer: OfferAnswer(profile: profile),
        source: ToneGenerator.sine(frequency: 440), onTone: { _, _ in })
    let callee = try await RTPSession.open(
        localAddress: "127.0.0.1", source: ToneGenerator.sine(frequency: 1000), onTone: { _, _ in })
    let offer = await caller.makeOffer(direction: .sendrecv)
    let (answer, _) = try await callee.makeAnswer(to: offer, hold: false)
    try await caller.applyAnswer(answer)
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while (await callee.statistics()["packets_received"] ?? 0) < 1 {
        guard clock.now < deadline else { fatalError("no audio reached the callee in \(profile) within 10 s") }
        try await Task.sleep(for: .milliseconds(1))
    }
    await caller.close()
    await callee.close()
}

func callSetupBenchmarks() {
    guard let ours = try? DTLSCertificate(), let theirs = try? DTLSCertificate() else {
        fatalError("no DTLS certificate: OpenSSL refused to make one")
    }
    precondition(handshake(ours, theirs), "the in-memory DTLS handshake does not complete")
    Benchmark(
        "DTLS handshake in memory (ECDSA P-256, to SRTP keys on both sides)",
        configuration: .init(scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 2_000)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(handshake(ours, theirs)) }
    }
    for profile in [MediaProfile.plain, .dtls, .webrtc] {
        Benchmark(
            "Call setup on loopback to first audio (\(profile.rawValue))",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(5),
                maxIterations: 200)
        ) { benchmark in
            for _ in benchmark.scaledIterations { try await setUpCall(profile) }
        }
    }
}
