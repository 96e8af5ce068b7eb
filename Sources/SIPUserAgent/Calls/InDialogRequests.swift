import SIPMessage

extension UserAgent {
    /// A request from the peer inside a call's dialog.
    func receiveInDialog(_ request: SIPRequest, session: CallSession) async {
        guard var dialog = session.dialog, let cseq = try? request.cseq else {
            await reply(request, 481)
            return
        }
        guard dialog.acceptRemote(cseq: cseq.number) else {
            await reply(request, 500, reason: "Lower CSeq")
            return
        }
        session.dialog = dialog
        switch request.method {
        case .bye:
            await replyInDialog(session, request, 200)
            if session.state == .waitingForAnswer || session.state == .answered {
                await respondToInvite(session, 487)
                finish(
                    session,
                    .failed(
                        session: session.id, originator: .remote, cause: FailureCause.canceled, statusCode: nil,
                        reasonPhrase: nil))
            } else if let reason = await session.media?.failure() {
                // The peer hung up on our failed handshake before its event got here: say why.
                guard !session.state.isEnded else { return }
                emit(.mediaNotice(session: session.id, message: reason))
                finish(
                    session,
                    .ended(
                        session: session.id, originator: .remote, cause: Self.cause(ofMediaFailure: reason),
                        statusCode: nil))
            } else {
                finish(
                    session,
                    .ended(session: session.id, originator: .remote, cause: FailureCause.terminated, statusCode: nil))
            }
        case .invite, .update:
            await receiveOffer(request, session: session)
        case .info:
            await receiveInfo(request, session: session)
        case .refer:
            await receiveRefer(request, session: session)
        case .notify:
            await receiveNotify(request, session: session)
        case .options:
            await replyInDialog(session, request, 200)
        default:
            await replyInDialog(session, request, 501)
        }
    }

    func replyInDialog(
        _ session: CallSession, _ request: SIPRequest, _ status: Int, reason: String? = nil, headers: [HeaderField] = []
    ) async {
        let response = ResponseFactory.make(
            to: request, status: status, reason: reason, configuration: configuration,
            toTag: session.dialog?.localTag ?? RandomTokens.tag(), extra: headers)
        await transactions.respond(to: request, with: response)
    }

    /// A re-INVITE or UPDATE: glare gets 491, a second one while answering one gets 500 with
    /// Retry-After (JsSIP); an offer is answered (remote hold detected), an offer-less re-INVITE
    /// gets our offer, a bare UPDATE is a session refresh.
    private func receiveOffer(_ request: SIPRequest, session: CallSession) async {
        let isInvite = request.method == .invite
        guard
            session.state == .confirmed || session.state == .waitingForAck || (!isInvite && session.state.isInProgress)
        else {
            await replyInDialog(session, request, 403, reason: "Wrong Status")
            return
        }
        let hasOffer = !request.body.isEmpty
        if session.reofferPending && (isInvite || hasOffer) {
            await replyInDialog(session, request, 491)
            return
        }
        if session.incomingReofferPending && (isInvite || hasOffer) {
            await replyInDialog(
                session, request, 500, headers: [HeaderField(.init(.retryAfter), "\(Int.random(in: 1...10))")])
            return
        }
        if hasOffer, let type = try? request.contentType, type.essence != MediaType.sdp.essence {
            await replyInDialog(session, request, 415)
            return
        }
        guard let media = session.media else {
            await replyInDialog(session, request, 488)
            return
        }
        session.dialog?.refreshTarget(from: request)
        var sdp: String?
        if hasOffer {
            do {
                let answer = try await media.makeAnswer(to: request.bodyText, hold: session.localHold)
                sdp = answer.sdp
                setRemoteHold(session, answer.remoteHold)
            } catch {
                await replyInDialog(session, request, 488)
                return
            }
        } else if isInvite {
            // An offer-less re-INVITE clears remote hold and wants our offer; the answer comes in the ACK.
            setRemoteHold(session, false)
            do {
                sdp = try await media.makeOffer(direction: session.offerDirection)
                session.answerExpectedInAck = true
            } catch {
                await replyInDialog(session, request, 500)
                return
            }
        }
        guard calls[session.id] != nil else { return }
        if isInvite { session.incomingReofferPending = true }
        let headers = answerSessionTimer(session, request: request)
        await respondToInvite(session, 200, to: request, headers: headers, sdp: sdp)
    }

    func setRemoteHold(_ session: CallSession, _ held: Bool) {
        guard session.remoteHold != held else { return }
        session.remoteHold = held
        emit(held ? .hold(session: session.id, originator: .remote) : .unhold(session: session.id, originator: .remote))
    }

    /// INFO: DTMF relay becomes newDTMF, anything else newInfo; no Content-Type is 415 (JsSIP).
    private func receiveInfo(_ request: SIPRequest, session: CallSession) async {
        guard let type = (try? request.contentType) ?? nil else {
            await replyInDialog(session, request, 415)
            return
        }
        await replyInDialog(session, request, 200)
        if type.essence == "application/dtmf-relay", let (tone, duration) = Self.dtmfRelay(request.bodyText) {
            emit(.newDTMF(session: session.id, originator: .remote, tone: tone, duration: duration))
        } else {
            emit(
                .newInfo(
                    session: session.id, originator: .remote, contentType: type.description, body: request.bodyText))
        }
    }

    /// `Signal= 5` and `Duration= 160` lines (JsSIP: a missing duration is 100 ms).
    static func dtmfRelay(_ body: String) -> (String, Int)? {
        var tone: String?
        var duration = 100
        for line in body.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingWhitespace
            switch parts[0].trimmingWhitespace.lowercased() {
            case "signal": tone = value.uppercased()
            case "duration": duration = Int(value).map { min(max($0, 1), 9999) } ?? 100
            default: break
            }
        }
        guard let tone, tone.count == 1 else { return nil }
        return (tone, duration)
    }
}
