import NIOCore

/// The ICE half of a call's media (RFC 8445), on the RTP socket and one more socket per other
/// interface address (host candidates of their own): the agent answers and sends connectivity
/// checks; media (and the DTLS handshake) go to the pair it selects, from that pair's socket.
/// Gathering of server-reflexive candidates (RFC 8489 Binding requests to STUN servers) runs
/// here too.
struct ICEPath {
    var agent: ICEAgent?
    var timer: Scheduled<Void>?
    var selected: SocketAddress?
    /// The selected pair's socket: 0 = the RTP socket, n = `bases[n - 1]`.
    var selectedBase = 0
    /// The other host candidates' sockets.
    var bases: [any Channel] = []
    /// The pair as people read it: `host 127.0.0.1:16000 ↔ host 127.0.0.1:40222`.
    var pairText: String?
    var failed = false
    /// Binding requests to STUN servers, by transaction ID, and what they found.
    var gathering: [[UInt8]: (server: SocketAddress, bytes: [UInt8])] = [:]
    var gathered: [SocketAddress] = []
    var gatherDone: EventLoopPromise<[SocketAddress]>?
}

extension MediaEngine {
    /// Our agent, made when our SDP first carries ICE so checks that beat the peer's SDP here
    /// are answered; `controlling` for the offerer. `hosts[0]` is on the RTP socket, each
    /// other one on `bases` in order.
    func prepareICE(credentials: ICECredentials, hosts: [ICECandidate], bases: [any Channel], controlling: Bool) {
        loop.execute {
            guard self.icePath.agent == nil else { return }
            self.icePath.bases = bases
            self.icePath.agent = ICEAgent(
                role: controlling ? .controlling : .controlled, local: credentials, localCandidates: hosts)
        }
    }

    /// Gives the agent the peer's ICE from the negotiated SDP; checks start.
    func configureICE(_ remote: ICERemote?) {
        guard let remote, let agent = icePath.agent else { return }
        agent.setRemote(remote.credentials, candidates: remote.candidates, lite: remote.lite, now: .now())
        deliver(agent.handleTimeout(now: .now()))
    }

    func receiveSTUN(_ bytes: [UInt8], from source: SocketAddress, base: Int = 0) {
        if let message = try? STUNMessage(parsing: bytes), icePath.gathering[message.transactionID] != nil,
            message.messageClass == .success
        {
            icePath.gathering[message.transactionID] = nil
            if let mapped = message.mappedAddress, !icePath.gathered.contains(mapped) {
                icePath.gathered.append(mapped)
            }
            if icePath.gathering.isEmpty { finishGathering() }
            return
        }
        guard let agent = icePath.agent else { return }
        deliver(agent.receive(bytes, from: source, base: base, now: .now()))
    }

    /// Asks each STUN server what address it sees (one Binding request, resent after 250 ms and
    /// 750 ms) and completes with the answers when all have come, or at `timeout` whatever came.
    func gather(servers: [SocketAddress], timeout: TimeAmount) -> EventLoopFuture<[SocketAddress]> {
        let promise = loop.makePromise(of: [SocketAddress].self)
        loop.execute {
            guard !servers.isEmpty else { return promise.succeed([]) }
            self.icePath.gatherDone = promise
            for server in servers {
                let request = STUNMessage(.request)
                let bytes = request.encoded(integrityKey: nil)
                self.icePath.gathering[request.transactionID] = (server, bytes)
                self.sendDatagram(bytes, to: server)
            }
            for delay in [250, 750] where delay < timeout.nanoseconds / 1_000_000 {
                self.loop.scheduleTask(in: .milliseconds(Int64(delay))) {
                    for (_, request) in self.icePath.gathering { self.sendDatagram(request.bytes, to: request.server) }
                }
            }
            self.loop.scheduleTask(in: timeout) { self.finishGathering() }
        }
        return promise.futureResult
    }

    private func finishGathering() {
        icePath.gathering = [:]
        icePath.gatherDone?.succeed(icePath.gathered)
        icePath.gatherDone = nil
    }

    private func deliver(_ output: ICEOutput) {
        for (bytes, destination, base) in output.datagrams { sendDatagram(bytes, to: destination, from: base) }
        for event in output.events {
            switch event {
            case .selected(let local, let remote, let base):
                icePath.selected = try? SocketAddress(ipAddress: remote.address, port: remote.port)
                icePath.selectedBase = base
                let text =
                    "\(local.kind.rawValue) \(local.address):\(local.port) ↔ \(remote.kind.rawValue) \(remote.address):\(remote.port)"
                icePath.pairText = text
                iceStatus.withLockedValue { $0 = text }
                onEvent(.progress("ICE: connected, \(text)"))
                startDTLSIfWaiting()
            case .failed(let reason):
                icePath.failed = true
                iceStatus.withLockedValue { $0 = "failed" }
                failure.withLockedValue { $0 = $0 ?? reason }
                onEvent(.failed(reason))
            }
        }
        armICETimer()
    }

    private func armICETimer() {
        icePath.timer?.cancel()
        icePath.timer = nil
        guard let agent = icePath.agent, let deadline = agent.nextTimeout else { return }
        icePath.timer = loop.scheduleTask(deadline: deadline) { [weak self] in
            guard let self, let agent = self.icePath.agent else { return }
            self.deliver(agent.handleTimeout(now: .now()))
        }
    }

    func closeICE() {
        icePath.timer?.cancel()
        icePath.timer = nil
        icePath.agent = nil
        finishGathering()
    }

    /// Whether media may go to the peer yet: without ICE at once, with ICE once a pair is chosen.
    var iceReady: Bool { settings?.ice == nil || icePath.selected != nil }

    /// Sends from the RTP socket (`base` 0) or another host candidate's socket.
    func sendDatagram(_ bytes: [UInt8], to destination: SocketAddress, from base: Int = 0) {
        let socket = iceChannel(base)
        socket.writeAndFlush(
            AddressedEnvelope(remoteAddress: destination, data: socket.allocator.buffer(bytes: bytes)), promise: nil)
    }

    /// The socket of host candidate `base` (the RTP socket for 0 or one not known).
    func iceChannel(_ base: Int) -> any Channel {
        base > 0 && base <= icePath.bases.count ? icePath.bases[base - 1] : channel
    }
}
