import NIOCore

/// The DTLS half of a DTLS-SRTP call's media (RFC 5764): the handshake runs on the RTP socket
/// and its exported keys become the call's SRTP. Until it finishes nothing is sent or played;
/// if it fails (a certificate that does not match the SDP fingerprint, no answer) the call's
/// media stops and the signalling is told why.
struct DTLSPath {
    var endpoint: DTLSEndpoint?
    var parameters: DTLSParameters?
    var timer: Scheduled<Void>?
    /// Where the peer's DTLS comes from: replies go there.
    var peer: SocketAddress?
    /// Handshake datagrams that came before our answer said which role to take (the answerer's
    /// ClientHello can overtake its 200 OK); fed to the endpoint once it exists.
    var early: [([UInt8], SocketAddress)] = []
    static let earlyLimit = 8
}

extension MediaEngine {
    /// Starts, keeps or replaces the handshake for what negotiation settled: the same
    /// parameters keep the association (and its keys) across a re-INVITE.
    func configureDTLS(_ parameters: DTLSParameters?) {
        guard parameters != dtlsPath.parameters else { return }
        closeDTLS()
        dtlsPath.parameters = parameters
        srtp = nil
        guard let parameters else { return }
        securityStatus.withLockedValue { $0 = nil }
        do {
            dtlsPath.endpoint = try DTLSEndpoint(
                role: parameters.role, certificate: parameters.certificate, peerFingerprint: parameters.peerFingerprint)
        } catch {
            dtlsFailed("\(error)")
            return
        }
        startDTLSIfWaiting()
        let early = dtlsPath.early
        dtlsPath.early = []
        for (bytes, source) in early { receiveDTLS(bytes, from: source) }
    }

    /// The client sends its ClientHello once there is somewhere to send it: at once without
    /// ICE, when the pair is chosen with it.
    func startDTLSIfWaiting() {
        guard let endpoint = dtlsPath.endpoint, endpoint.role == .client, endpoint.state == .idle, iceReady else {
            return
        }
        deliver(endpoint.start())
    }

    func receiveDTLS(_ bytes: [UInt8], from source: SocketAddress) {
        guard let endpoint = dtlsPath.endpoint else {
            if dtlsPath.parameters == nil, dtlsPath.early.count < DTLSPath.earlyLimit {
                dtlsPath.early.append((bytes, source))
            }
            return
        }
        dtlsPath.peer = source
        deliver(endpoint.receive(bytes))
    }

    /// Sends what the endpoint wrote, acts on its event and re-arms its retransmission timer.
    /// A failure is recorded before its alert leaves: the peer may hang up on the alert, and its
    /// BYE must find the call's media already failed.
    private func deliver(_ output: DTLSOutput) {
        if case .failed(let reason)? = output.event { dtlsFailed(reason) }
        if let destination = dtlsPath.peer ?? mediaDestination {
            for datagram in output.datagrams { sendDatagram(datagram, to: destination, from: icePath.selectedBase) }
        }
        switch output.event {
        case .connected(let keys)?:
            useKeys(keys)
            if srtp != nil {
                let text = "SRTP (DTLS \(keys.profile.sdesName))"
                securityStatus.withLockedValue { $0 = text }
                onEvent(.secured(text))
            } else {
                dtlsFailed("DTLS: " + (srtpFailure ?? "the handshake's keys were refused"))
            }
        case .failed?, .closed?, nil:
            break
        }
        armDTLSTimer()
    }

    private func armDTLSTimer() {
        dtlsPath.timer?.cancel()
        dtlsPath.timer = nil
        guard let endpoint = dtlsPath.endpoint, let wait = endpoint.nextTimeout else { return }
        let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
        dtlsPath.timer = loop.scheduleTask(in: .nanoseconds(max(nanoseconds, 1_000_000))) { [weak self] in
            guard let self, let endpoint = self.dtlsPath.endpoint else { return }
            self.deliver(endpoint.handleTimeout())
        }
    }

    private func dtlsFailed(_ reason: String) {
        srtp = nil
        dtlsPath.timer?.cancel()
        dtlsPath.timer = nil
        securityStatus.withLockedValue { $0 = "none (\(reason))" }
        failure.withLockedValue { $0 = $0 ?? reason }
        onEvent(.failed(reason))
    }

    /// Ends the association with close_notify (hang-up, or new parameters).
    func closeDTLS() {
        dtlsPath.timer?.cancel()
        dtlsPath.timer = nil
        if let endpoint = dtlsPath.endpoint {
            deliver(endpoint.close())
            dtlsPath.endpoint = nil
        }
        dtlsPath.peer = nil
    }
}
