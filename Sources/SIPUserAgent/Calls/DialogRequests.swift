import SIPMessage
import SIPTransport

extension UserAgent {
    func dialogParts(
        _ dialog: Dialog, method: SIPMethod, headers: [HeaderField], contentType: String? = nil, body: [UInt8] = []
    ) -> RequestFactory.Parts {
        var parts = RequestFactory.Parts(
            method: method, uri: dialog.remoteTarget, to: dialog.remoteURI, fromTag: dialog.localTag,
            callID: dialog.callID, cseq: dialog.localSeq, headers: headers, contentType: contentType, body: body)
        parts.from = dialog.localURI
        parts.routes = dialog.routeSet
        return parts
    }

    /// The ACK for a 2xx (RFC 3261 §13.2.2.4): its own branch, the INVITE's CSeq number, sent
    /// outside any transaction; a late-offer answer rides in it.
    func sendAck(dialog: Dialog, cseq: UInt32? = nil, body: String?) async {
        guard let connection = await transport.connection else { return }
        var parts = dialogParts(
            dialog, method: .ack, headers: [], contentType: body == nil ? nil : "application/sdp",
            body: Array((body ?? "").utf8))
        parts.cseq = cseq ?? dialog.localSeq
        let ack = factory.make(parts, on: connection)
        try? await sender.send(ack.serialized(), to: nil)
    }

    func sendAck(_ session: CallSession, cseq: UInt32, body: String?) async {
        guard let dialog = session.dialog else { return }
        await sendAck(dialog: dialog, cseq: cseq, body: body)
    }

    /// A request inside a dialog that is not (or no longer) a call's, such as the BYE for a second fork.
    func sendRequest(in dialog: Dialog, method: SIPMethod, headers: [HeaderField]) async -> ClientOutcome {
        await send(dialogParts(dialog, method: method, headers: headers))
    }

    /// A request in the call's dialog. A 408 or 481 to it, or no answer, means the dialog is gone:
    /// the call ends (JsSIP's Dialog Error / Request Timeout), except for the BYE that ends it anyway.
    @discardableResult
    func sendInDialog(
        _ session: CallSession, method: SIPMethod, headers: [HeaderField] = [], contentType: String? = nil,
        body: [UInt8] = []
    ) async -> ClientOutcome {
        guard var dialog = session.dialog else { return .transportError("no dialog") }
        dialog.localSeq += 1
        session.dialog = dialog
        var extra = headers
        if method != .bye, method != .cancel, let connection = await transport.connection {
            extra.insert(dialogContact(connection), at: 0)
        }
        var parts = dialogParts(dialog, method: method, headers: extra, contentType: contentType, body: body)
        if method == .invite || method == .update { parts.supported = inviteSupported }
        let outcome = await send(parts, onCSeq: { cseq in session.dialog?.localSeq = cseq })
        guard method != .bye, calls[session.id] != nil else { return outcome }
        switch outcome {
        case .response(let response) where response.statusCode == 408 || response.statusCode == 481:
            // After a 481 the peer has no dialog left to BYE.
            if response.statusCode == 408 { await sendBye(session, reason: nil) }
            finish(
                session,
                .ended(
                    session: session.id, originator: .remote, cause: FailureCause.dialogError,
                    statusCode: response.statusCode))
        case .timeout:
            await sendBye(session, reason: nil)
            finish(
                session,
                .ended(session: session.id, originator: .system, cause: FailureCause.requestTimeout, statusCode: 408))
        case .transportError:
            finish(
                session,
                .ended(
                    session: session.id, originator: .system, cause: FailureCause.connectionError, statusCode: nil))
        default: break
        }
        return outcome
    }

    func sendBye(_ session: CallSession, reason: ReasonValue?) async {
        guard var dialog = session.dialog else { return }
        let headers = reason.map { [HeaderField(.init(.reason), $0.description)] } ?? []
        dialog.localSeq += 1
        session.dialog = dialog
        // The BYE's answer changes nothing: the call is over once it is sent.
        let bye = dialog
        Task { _ = await self.sendRequest(in: bye, method: .bye, headers: headers) }
    }

    /// Ends a call: timers stopped, media closed, the final event reported, the call forgotten.
    func finish(_ session: CallSession, _ event: UAEvent) {
        guard calls[session.id] != nil, !session.state.isEnded else { return }
        let wasRinging = session.direction == .remote && session.state == .waitingForAnswer
        session.state = .terminated
        forget(session)
        emit(event)
        if wasRinging { Task { await self.setCallWaiting(true) } }
    }

    /// Drops a call that has already reported its end.
    func forget(_ session: CallSession) {
        session.cancelAllTimers()
        calls[session.id] = nil
        if let media = session.media { Task { await media.close() } }
    }

    /// Ends every call (sipterm is stopping): BYE, CANCEL or a rejection as each one's state needs.
    func endAllCalls() async {
        let ending = Array(calls.values)
        for session in ending { try? await terminate(session.id) }
        // Time for the BYEs and CANCELs to leave before the transport closes.
        if !ending.isEmpty { try? await Task.sleep(for: .milliseconds(300)) }
    }

    /// Making or answering a call puts every other established call on hold. The holds are not
    /// waited for: a peer slow to answer its re-INVITE must not delay the new call.
    func holdOthers(except ids: [String]) {
        let others = calls.values.filter { !ids.contains($0.id) && $0.state == .confirmed && !$0.localHold }
        for id in others.map(\.id) {
            Task { try? await self.hold(id) }
        }
    }

    /// The call's media, with the audio settings as they are now; a call without sound says why.
    /// `profile` replaces `media_profile` for this call (a retry in another profile).
    func openMedia(
        _ session: CallSession, localAddress: String? = nil, profile: String? = nil
    ) async throws
        -> any CallMedia
    {
        let connection = await transport.connection
        var address = localAddress
        if address == nil { address = connection?.localAddress?.host }
        guard let mediaFactory, let address else { throw MediaMissing() }
        let settings = MediaSettings(
            input: configuration.audioInput, output: configuration.audioOutput, codecs: configuration.codecs,
            profile: profile ?? configuration.mediaProfile, transport: connection?.kind ?? .udp,
            sdesOverUnencrypted: configuration.sdesUnencryptedSignalling,
            advertisedAddress: connection?.kind.isWebSocket == false ? factory.publicAddress?.host : nil,
            stunServers: configuration.stunURLs, iceGatheringTimeout: configuration.iceGatheringTimeout)
        let media = try await mediaFactory.makeMedia(
            localAddress: address, settings: settings, onTone: toneHandler(session.id),
            onEvent: mediaEventHandler(session.id))
        session.media = media
        if let notice = await media.deviceNotice() { emit(.mediaNotice(session: session.id, message: notice)) }
        return media
    }

    /// The call-waiting beep plays in the established calls while another call rings here.
    func setCallWaiting(_ on: Bool) async {
        let ringing = calls.values.contains { $0.direction == .remote && $0.state == .waitingForAnswer }
        for session in calls.values where session.state == .confirmed {
            await session.media?.playLocalTone(on && ringing ? .callWaiting : nil)
        }
    }

    func toneHandler(_ id: String) -> @Sendable (Character, Int) -> Void {
        { [weak self] tone, duration in
            Task {
                await self?.emit(.newDTMF(session: id, originator: .remote, tone: String(tone), duration: duration))
            }
        }
    }
}
