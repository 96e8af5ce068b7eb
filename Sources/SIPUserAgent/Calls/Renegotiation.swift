import SIPMessage

extension UserAgent {
    /// Sends a new offer (re-INVITE, or UPDATE) or a bare UPDATE refresh. A 491 is retried once
    /// after RFC 3261 §14.1's random wait; a 422 once with the peer's Min-SE. Returns true on a 2xx.
    @discardableResult
    func renegotiate(_ session: CallSession, method: SIPMethod, withOffer: Bool, retried: Bool = false) async -> Bool {
        guard session.state == .confirmed || session.state == .waitingForAck, !session.reofferPending,
            !session.incomingReofferPending, let media = session.media
        else { return false }
        session.reofferPending = true
        var body: [UInt8] = []
        if withOffer {
            guard let offer = try? await media.makeOffer(direction: session.offerDirection) else {
                session.reofferPending = false
                return false
            }
            body = Array(offer.utf8)
        }
        let outcome = await sendInDialog(
            session, method: method, headers: sessionTimerRequestHeaders(session, initial: false),
            contentType: withOffer ? "application/sdp" : nil, body: body)
        session.reofferPending = false
        guard case .response(let response) = outcome else { return false }
        // Every 2xx to an INVITE is ACKed, even one that arrives after the call ended.
        if response.isSuccess, method == .invite, let cseq = try? response.cseq {
            await sendAck(session, cseq: cseq.number, body: nil)
        }
        guard calls[session.id] != nil, !session.state.isEnded else { return false }
        if response.isSuccess {
            session.dialog?.refreshTarget(from: response)
            if withOffer {
                do {
                    try await media.applyAnswer(response.bodyText)
                } catch {
                    await sendBye(
                        session, reason: ReasonValue(protocol: "SIP", cause: 488, text: "Not Acceptable Here"))
                    finish(
                        session,
                        .ended(
                            session: session.id, originator: .remote, cause: FailureCause.badMediaDescription,
                            statusCode: 488))
                    return false
                }
            }
            applySessionTimer(session, response: response)
            return true
        }
        guard !retried else { return false }
        if response.statusCode == 491 {
            // The owner of the Call-ID waits 2.1–4 s, the other side up to 2 s.
            let wait = session.direction == .local ? Int.random(in: 2100...4000) : Int.random(in: 10...2000)
            try? await Task.sleep(for: .milliseconds(wait))
            return await renegotiate(session, method: method, withOffer: withOffer, retried: true)
        }
        if response.statusCode == 422, Self.minSE(response) > session.sessionTimer.interval {
            session.sessionTimer.interval = Self.minSE(response)
            session.sessionTimer.minSE = Self.minSE(response)
            return await renegotiate(session, method: method, withOffer: withOffer, retried: true)
        }
        return false
    }

    /// Puts the call on hold: re-INVITE with sendonly (inactive when the peer holds too).
    public func hold(_ id: String) async throws(RequestFailure) {
        try await setHold(id, true)
    }

    public func unhold(_ id: String) async throws(RequestFailure) {
        try await setHold(id, false)
    }

    private func setHold(_ id: String, _ held: Bool) async throws(RequestFailure) {
        guard let session = calls[id], session.state == .confirmed || session.state == .waitingForAck,
            session.localHold != held
        else { throw RequestFailure.invalidState(id) }
        guard !session.reofferPending, !session.incomingReofferPending else {
            throw RequestFailure(cause: "Busy: another offer is in progress", statusCode: nil)
        }
        session.localHold = held
        emit(held ? .hold(session: id, originator: .local) : .unhold(session: id, originator: .local))
        guard await renegotiate(session, method: .invite, withOffer: true) else {
            guard calls[id] != nil, !session.state.isEnded else { return }
            session.localHold = !held
            emit(held ? .unhold(session: id, originator: .local) : .hold(session: id, originator: .local))
            throw RequestFailure(cause: held ? "Hold Failed" : "Unhold Failed", statusCode: nil)
        }
    }

    /// Mutes the microphone: the media sends silence; nothing is signalled (JsSIP).
    public func mute(_ id: String) async throws(RequestFailure) {
        try await setMuted(id, true)
    }

    public func unmute(_ id: String) async throws(RequestFailure) {
        try await setMuted(id, false)
    }

    private func setMuted(_ id: String, _ muted: Bool) async throws(RequestFailure) {
        guard let session = calls[id], !session.state.isEnded, session.muted != muted else {
            throw RequestFailure.invalidState(id)
        }
        session.muted = muted
        await session.media?.setMuted(muted)
        emit(muted ? .muted(session: id) : .unmuted(session: id))
    }
}
