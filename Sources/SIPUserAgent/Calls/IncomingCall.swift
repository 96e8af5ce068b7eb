import Foundation
import SIPMessage

extension UserAgent {
    /// A new INVITE: JsSIP's init_incoming (415, Missing Contact, early dialog, 180 sent at once,
    /// no_answer_timeout, Expires), plus sipterm's dnd, auto_answer and Replaces handling.
    func receiveInvite(_ request: SIPRequest, from source: Destination?) async {
        if configuration.doNotDisturb {
            await reply(request, 486)
            return
        }
        guard mediaFactory != nil else {
            await reply(request, 480)
            return
        }
        if !request.body.isEmpty, let type = try? request.contentType, type.essence != MediaType.sdp.essence {
            await reply(request, 415)
            return
        }
        guard Dialog.target(request) != nil else {
            await reply(request, 500, reason: "Missing Contact header field")
            return
        }
        let tag = RandomTokens.tag()
        guard let dialog = Dialog(uas: request, localTag: tag) else {
            await reply(request, 400)
            return
        }
        var replaced: CallSession?
        if request.headers.contains(.init(.replaces)) {
            guard let replaces = (try? request.headers.value(.replaces, as: Replaces.self)) ?? nil,
                let match = calls.values.first(where: {
                    guard let dialog = $0.dialog, !$0.state.isEnded else { return false }
                    return dialog.matches(
                        callID: replaces.callID, localTag: replaces.toTag, remoteTag: replaces.fromTag)
                })
            else {
                await reply(request, 481)
                return
            }
            if replaces.earlyOnly && match.state.isEstablished {
                await reply(request, 486)
                return
            }
            replaced = match
        }
        let session = CallSession(
            id: dialog.callID + tag, direction: .remote, localIdentity: dialog.localURI,
            remoteIdentity: dialog.remoteURI)
        session.dialog = dialog
        session.invite = request
        session.source = source
        session.state = .waitingForAnswer
        session.peerAllowsUpdate = Self.allows(.update, in: request)
        session.sessionTimer.configure(enabled: configuration.sessionTimers, requested: nil)
        calls[session.id] = session
        let id = session.id
        emit(
            .newRTCSession(
                session: id, originator: .remote, remoteIdentity: dialog.remoteURI.uri.description,
                localIdentity: dialog.localURI.uri.description))
        if let replaced {
            session.replacing = replaced.id
            emit(.replaces(session: replaced.id, replacedBy: id))
            Task { try? await self.answer(id) }
            return
        }
        await respondToInvite(session, 180)
        emit(.progress(session: id, originator: .local, statusCode: 180, reasonPhrase: "Ringing"))
        await setCallWaiting(true)
        schedule(session, "noAnswer", after: .seconds(configuration.noAnswerTimeout)) { ua in
            await ua.unanswered(id, status: 408, cause: FailureCause.noAnswer, originator: .local)
        }
        if let expires = (try? request.expires) ?? nil {
            schedule(session, "expires", after: .seconds(Int(expires))) { ua in
                await ua.unanswered(id, status: 487, cause: FailureCause.expires, originator: .system)
            }
        }
        switch configuration.autoAnswer {
        case .off: break
        case .immediately:
            // Answering may hold another call (a re-INVITE): not on the inbound queue.
            Task { try? await self.answer(id) }
        case .after(let seconds):
            schedule(session, "autoAnswer", after: .seconds(seconds)) { ua in try? await ua.answer(id) }
        }
    }

    func unanswered(_ id: String, status: Int, cause: String, originator: UAEvent.Originator) async {
        guard let session = calls[id], session.state == .waitingForAnswer else { return }
        await respondToInvite(session, status)
        finish(
            session,
            .failed(
                session: id, originator: originator, cause: cause, statusCode: status,
                reasonPhrase: ReasonPhrase.standard[status]))
    }

    /// Answers an incoming call: 200 with the SDP answer (or an offer, for an INVITE without one).
    public func answer(_ id: String) async throws(RequestFailure) {
        guard let session = calls[id], session.direction == .remote, session.state == .waitingForAnswer,
            let invite = session.invite
        else { throw RequestFailure.invalidState(id) }
        for timer in ["noAnswer", "expires", "autoAnswer"] { session.cancelTimer(timer) }
        session.state = .answered
        await setCallWaiting(true)
        holdOthers(except: [id, session.replacing ?? ""])
        let sdp: String
        do {
            let media = try await openMedia(session)
            if invite.body.isEmpty {
                sdp = try await media.makeOffer(direction: "sendrecv")
                session.answerExpectedInAck = true
            } else {
                let answer = try await media.makeAnswer(to: invite.bodyText, hold: false)
                sdp = answer.sdp
                session.remoteHold = answer.remoteHold
            }
        } catch {
            guard calls[id] != nil else { return }
            await respondToInvite(session, 488)
            finish(
                session,
                .failed(
                    session: id, originator: .local, cause: FailureCause.incompatibleSDP, statusCode: 488,
                    reasonPhrase: "\(error)"))
            return
        }
        guard calls[id] != nil, session.state == .answered else { return }
        let headers = answerSessionTimer(session, request: invite)
        // Waiting for the ACK before the 200 leaves: on loopback the ACK can be handled before
        // sending returns.
        session.state = .waitingForAck
        session.startTime = .now
        emit(.accepted(session: id, originator: .local))
        await respondToInvite(session, 200, headers: headers, sdp: sdp)
        if session.remoteHold { emit(.hold(session: id, originator: .remote)) }
    }

    /// A response to the call's INVITE (or to `request`, a re-INVITE) in its dialog, with Contact;
    /// a 2xx is resent until its ACK (UDP) and given up after Timer H.
    func respondToInvite(
        _ session: CallSession, _ status: Int, reason: String? = nil, to request: SIPRequest? = nil,
        headers: [HeaderField] = [], sdp: String? = nil
    ) async {
        guard let invite = request ?? session.invite, let dialog = session.dialog else { return }
        var extra = headers
        if status > 100 && status < 300, let connection = await transport.connection {
            extra.insert(HeaderField(.init(.contact), "<\(factory.contact(on: connection))>"), at: 0)
        }
        if status == 200 { extra.append(HeaderField(.init(.allow), RequestFactory.allow)) }
        let response = ResponseFactory.make(
            to: invite, status: status, reason: reason, configuration: configuration, toTag: dialog.localTag,
            extra: extra, supported: inviteSupported, contentType: sdp == nil ? nil : "application/sdp",
            body: Array((sdp ?? "").utf8))
        guard response.isSuccess, invite.method == .invite, let cseq = try? invite.cseq else {
            await transactions.respond(to: invite, with: response)
            return
        }
        let bytes = response.serialized()
        // Recorded before it is sent: the ACK may come back before `respond` returns.
        session.unacknowledged = (cseq.number, bytes)
        await transactions.respond(to: invite, with: response)
        let id = session.id
        let timers = await transactions.timers
        if await !sender.isReliable() {
            scheduleResend(session, bytes: bytes, interval: timers.t1, t2: timers.t2)
        }
        schedule(session, "timerH", after: timers.transactionTimeout) { ua in await ua.ackTimedOut(id) }
    }

    private func scheduleResend(_ session: CallSession, bytes: [UInt8], interval: Duration, t2: Duration) {
        let id = session.id
        let destination = session.source
        schedule(session, "resend2xx", after: interval) { ua in
            await ua.resend2xx(id, bytes: bytes, to: destination, interval: min(interval * 2, t2), t2: t2)
        }
    }

    private func resend2xx(
        _ id: String, bytes: [UInt8], to destination: Destination?, interval: Duration, t2: Duration
    )
        async
    {
        guard let session = calls[id], session.unacknowledged?.bytes == bytes else { return }
        try? await sender.send(bytes, to: destination)
        scheduleResend(session, bytes: bytes, interval: interval, t2: t2)
    }

    /// No ACK within 64·T1: the dialog is confirmed in name only; end it with a BYE (JsSIP's No ACK).
    private func ackTimedOut(_ id: String) async {
        guard let session = calls[id], session.unacknowledged != nil else { return }
        session.unacknowledged = nil
        session.cancelTimer("resend2xx")
        if let reason = session.byeAfterAck {
            await sendBye(session, reason: reason)
            forget(session)
            return
        }
        await sendBye(session, reason: nil)
        finish(session, .ended(session: id, originator: .system, cause: FailureCause.noAck, statusCode: nil))
    }

    /// An ACK for one of our 2xx answers.
    func receiveAck(_ ack: SIPRequest) async {
        guard let callID = try? ack.callID, let toTag = try? ack.to?.tag, let session = calls[callID + toTag],
            let cseq = try? ack.cseq, session.unacknowledged?.cseq == cseq.number
        else { return }
        session.unacknowledged = nil
        session.cancelTimer("resend2xx")
        session.cancelTimer("timerH")
        session.incomingReofferPending = false
        if let reason = session.byeAfterAck {
            await sendBye(session, reason: reason)
            forget(session)
            return
        }
        if session.answerExpectedInAck {
            session.answerExpectedInAck = false
            do {
                guard let media = session.media, !ack.body.isEmpty else { throw MediaMissing() }
                try await media.applyAnswer(ack.bodyText)
            } catch {
                await sendBye(session, reason: ReasonValue(protocol: "SIP", cause: 400, text: "Missing SDP"))
                finish(
                    session,
                    .ended(session: session.id, originator: .remote, cause: FailureCause.missingSDP, statusCode: 400))
                return
            }
        }
        if session.state == .waitingForAck {
            session.state = .confirmed
            emit(.confirmed(session: session.id, originator: .remote))
            if let old = session.replacing, calls[old] != nil {
                Task { try? await self.terminate(old) }
            }
        }
    }

    /// A CANCEL for an INVITE still ringing: 200 to the CANCEL, 487 to the INVITE.
    func receiveCancel(_ cancel: SIPRequest) async {
        let branch = try? cancel.topVia?.branch
        guard let invite = await transactions.pendingInvite(matching: cancel),
            let session = calls.values.first(where: {
                $0.direction == .remote && !$0.state.isEnded && (try? $0.invite?.topVia?.branch) == branch
                    && (try? $0.invite?.callID) == (try? invite.callID)
            }), let dialog = session.dialog
        else {
            await reply(cancel, 481)
            return
        }
        let response = ResponseFactory.make(
            to: cancel, status: 200, configuration: configuration, toTag: dialog.localTag)
        await transactions.respond(to: cancel, with: response)
        guard session.state == .waitingForAnswer || session.state == .answered else { return }
        await respondToInvite(session, 487)
        finish(
            session,
            .failed(
                session: session.id, originator: .remote, cause: FailureCause.canceled, statusCode: 487,
                reasonPhrase: nil))
    }
}

extension UserAgent.RequestFailure {
    static func invalidState(_ id: String) -> Self {
        Self(cause: "Invalid State: no call \(id) in a state that allows this", statusCode: nil)
    }
}
