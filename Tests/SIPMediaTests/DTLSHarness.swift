import Glibc

@testable import SIPMedia

/// Everything the two in-process endpoints reported while `pump` ran.
struct PumpResult {
    var clientEvents: [DTLSEvent] = []
    var serverEvents: [DTLSEvent] = []
    var clientKeys: SRTPKeys? { clientEvents.lazy.compactMap(\.keys).first }
    var serverKeys: SRTPKeys? { serverEvents.lazy.compactMap(\.keys).first }
}

extension DTLSEvent {
    var keys: SRTPKeys? {
        if case .connected(let keys) = self { return keys }
        return nil
    }
    var failureReason: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }
}

extension DTLSState {
    var isTerminal: Bool {
        switch self {
        case .connected, .failed, .closed: true
        case .idle, .handshaking: false
        }
    }
}

/// Two endpoints with fresh certificates that expect each other's fingerprints.
func makePair(
    clientProfiles: [SRTPProfile] = SRTPProfile.dtlsPreference,
    serverProfiles: [SRTPProfile] = SRTPProfile.dtlsPreference,
    initialRetransmitTimeout: Duration = .milliseconds(50)
) throws -> (client: DTLSEndpoint, server: DTLSEndpoint) {
    let clientCert = try DTLSCertificate()
    let serverCert = try DTLSCertificate()
    let client = try DTLSEndpoint(
        role: .client, certificate: clientCert, peerFingerprint: serverCert.fingerprint,
        profiles: clientProfiles, initialRetransmitTimeout: initialRetransmitTimeout)
    let server = try DTLSEndpoint(
        role: .server, certificate: serverCert, peerFingerprint: clientCert.fingerprint,
        profiles: serverProfiles, initialRetransmitTimeout: initialRetransmitTimeout)
    return (client, server)
}

/// Shuttles datagrams between the endpoints until both settle, sleeping through retransmission
/// timers when nothing is in flight. `drop(toServer, n)` discards the n-th datagram (0-based) in
/// that direction.
func pump(
    client: DTLSEndpoint, server: DTLSEndpoint,
    drop: (_ toServer: Bool, _ index: Int) -> Bool = { _, _ in false },
    limit: Duration = .seconds(10)
) -> PumpResult {
    var result = PumpResult()
    var toServer: [[UInt8]] = []
    var toClient: [[UInt8]] = []
    func collect(_ output: DTLSOutput, fromClient: Bool) {
        if fromClient {
            toServer += output.datagrams
            if let event = output.event { result.clientEvents.append(event) }
        } else {
            toClient += output.datagrams
            if let event = output.event { result.serverEvents.append(event) }
        }
    }
    collect(server.start(), fromClient: false)
    collect(client.start(), fromClient: true)
    var sentToServer = 0
    var sentToClient = 0
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if toServer.isEmpty && toClient.isEmpty {
            if client.state.isTerminal && server.state.isTerminal { break }
            guard let wait = [client.nextTimeout, server.nextTimeout].compactMap({ $0 }).min() else { break }
            let micros = wait.components.seconds * 1_000_000 + wait.components.attoseconds / 1_000_000_000_000
            usleep(useconds_t(clamping: micros + 1_000))
            collect(client.handleTimeout(), fromClient: true)
            collect(server.handleTimeout(), fromClient: false)
            continue
        }
        let batchToServer = toServer
        toServer = []
        for datagram in batchToServer {
            defer { sentToServer += 1 }
            if drop(true, sentToServer) { continue }
            collect(server.receive(datagram), fromClient: false)
        }
        let batchToClient = toClient
        toClient = []
        for datagram in batchToClient {
            defer { sentToClient += 1 }
            if drop(false, sentToClient) { continue }
            collect(client.receive(datagram), fromClient: true)
        }
    }
    return result
}
