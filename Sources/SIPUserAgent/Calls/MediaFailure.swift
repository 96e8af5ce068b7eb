import SIPMessage

extension UserAgent {
    /// What the media reports on its own: progress (a finished DTLS handshake, the ICE pair)
    /// is shown with the call; a failure ends it.
    func mediaEventHandler(_ id: String) -> @Sendable (CallMediaEvent) -> Void {
        { [weak self] event in
            Task {
                switch event {
                case .progress(let message): await self?.emit(.mediaProgress(session: id, message: message))
                case .failed(let reason): await self?.mediaFailed(id, reason)
                }
            }
        }
    }

    /// The call's media cannot work (a DTLS handshake that failed or found the wrong
    /// certificate, no working ICE pair): the call ends, as JsSIP ends one whose ICE fails,
    /// with a Reason that says why (`SIP;cause=488;text="DTLS: …"`) and a cause naming the layer.
    func mediaFailed(_ id: String, _ reason: String) async {
        guard let session = calls[id], !session.state.isEnded else { return }
        emit(.mediaNotice(session: id, message: reason))
        let cause = Self.cause(ofMediaFailure: reason)
        let value = ReasonValue(protocol: "SIP", cause: 488, text: reason)
        switch session.state {
        case .confirmed:
            await sendBye(session, reason: value)
            finish(session, .ended(session: id, originator: .local, cause: cause, statusCode: nil))
        case .waitingForAck:
            // RFC 3261 §15: the BYE waits for the ACK (or Timer H).
            session.byeAfterAck = .some(value)
            session.state = .terminated
            if let media = session.media { await media.close() }
            emit(.ended(session: id, originator: .local, cause: cause, statusCode: nil))
        default:
            try? await terminate(id, statusCode: 488, reasonPhrase: reason)
        }
    }

    /// The cause a media failure ends its call with: the layer its text names.
    static func cause(ofMediaFailure reason: String) -> String {
        reason.hasPrefix("ICE") ? FailureCause.iceFailure : FailureCause.dtlsFailure
    }
}
