import SIPMessage
import SIPTransport

/// `call` options, named as JsSIP's.
public struct CallOptions: Sendable {
    public var extraHeaders: [String]
    public var sessionTimersExpires: Int?

    public init(extraHeaders: [String] = [], sessionTimersExpires: Int? = nil) {
        self.extraHeaders = extraHeaders
        self.sessionTimersExpires = sessionTimersExpires
    }
}

extension UserAgent {
    /// Places a call and returns its session id at once; progress comes as events.
    public func call(_ target: String, options: CallOptions = CallOptions()) async throws(RequestFailure) -> String {
        let uri: SIPURI
        do {
            uri = try DialTarget.normalize(target, defaultDomain: defaultDomain)
        } catch {
            throw RequestFailure(cause: "Invalid Target: \(error.reason)", statusCode: nil)
        }
        return try await placeCall(to: uri, options: options)
    }

    func placeCall(
        to uri: SIPURI, options: CallOptions, headers: [HeaderField] = [], referredBy: (String, String)? = nil
    ) async throws(RequestFailure) -> String {
        guard mediaFactory != nil else { throw RequestFailure(cause: "No Media: calls are off", statusCode: nil) }
        guard let connection = await transport.connection, let local = connection.localAddress else {
            throw RequestFailure(cause: FailureCause.connectionError, statusCode: nil)
        }
        let callID = RandomTokens.callID()
        let tag = RandomTokens.tag()
        var target = uri
        target.headers = []
        let session = CallSession(
            id: callID + tag, direction: .local, localIdentity: factory.localIdentity(tag: nil),
            remoteIdentity: NameAddress(uri: target))
        session.extraHeaders = Configuration.headerFields(options.extraHeaders)
        session.sessionTimer.configure(enabled: configuration.sessionTimers, requested: options.sessionTimersExpires)
        session.referredBy = referredBy
        calls[session.id] = session
        // The call that asked for this one (REFER) is left alone: its peer is ending it.
        holdOthers(except: [session.id, referredBy?.0 ?? ""])
        if configuration.mediaProfile == "auto", connection.kind.isWebSocket { session.fallbackProfile = "plain" }
        let offer: String
        do {
            let media = try await openMedia(session, localAddress: local.host)
            offer = try await media.makeOffer(direction: "sendrecv")
        } catch {
            calls[session.id] = nil
            await session.media?.close()
            throw RequestFailure(cause: "\(FailureCause.internalError): media: \(error)", statusCode: nil)
        }
        emit(
            .newRTCSession(
                session: session.id, originator: .local, remoteIdentity: target.description,
                localIdentity: configuration.uri.description))
        session.state = .inviteSent
        var parts = RequestFactory.Parts(
            method: .invite, uri: target, to: NameAddress(uri: target), fromTag: tag, callID: callID,
            cseq: UInt32.random(in: 1...10000), contentType: "application/sdp", body: Array(offer.utf8))
        parts.headers = headers + session.extraHeaders
        parts.supported = inviteSupported
        let id = session.id
        Task { await self.runInvite(id, parts, connection: connection, retried: []) }
        return session.id
    }

    var inviteSupported: String { configuration.sessionTimers ? "timer,replaces,outbound" : "replaces,outbound" }

    /// The Contact of our INVITE and in-dialog requests: JsSIP adds `;ob` (RFC 5626).
    func dialogContact(_ connection: Connection) -> HeaderField {
        var uri = factory.contact(on: connection)
        if !uri.parameters.contains("ob") { uri.parameters.set("ob") }
        return HeaderField(.init(.contact), "<\(uri)>")
    }

    /// Sends the INVITE and handles its outcome; `retried` holds the statuses already answered
    /// by a second INVITE (422 and 488 are retried once each).
    private func runInvite(
        _ id: String, _ parts: RequestFactory.Parts, connection: Connection, retried: Set<Int>
    ) async {
        guard let session = calls[id] else { return }
        var request = parts
        request.headers =
            [dialogContact(connection)] + sessionTimerRequestHeaders(session, initial: true) + parts.headers
        let outcome = await send(
            request,
            onProvisional: { [weak self] response in await self?.inviteProvisional(id, response) },
            onRequest: { request in session.invite = request })
        guard calls[id] != nil else { return }
        if session.state == .canceled {
            // terminate() already reported the call; a 2xx that crossed the CANCEL is ACKed and BYEd.
            if case .response(let response) = outcome, response.isSuccess, let invite = session.invite,
                let dialog = Dialog(uac: invite, response: response)
            {
                session.dialog = dialog
                await sendAck(session, cseq: dialog.localSeq, body: nil)
                await sendBye(session, reason: nil)
            }
            forget(session)
            return
        }
        switch outcome {
        case .response(let response) where response.isSuccess:
            await inviteAccepted(session, response)
        case .response(let response)
        where response.statusCode == 422 && !retried.contains(422) && session.cancelPending == nil
            && Self.minSE(response) > session.sessionTimer.interval:
            // Better than JsSIP: raise the interval to the peer's Min-SE and try once more.
            session.sessionTimer.interval = Self.minSE(response)
            session.sessionTimer.minSE = Self.minSE(response)
            var next = parts
            next.cseq = ((try? session.invite?.cseq)?.number ?? parts.cseq) + 1
            session.state = .inviteSent
            await runInvite(id, next, connection: connection, retried: retried.union([422]))
        case .response(let response)
        where [488, 606].contains(response.statusCode) && session.fallbackProfile != nil && !retried.contains(488)
            && session.cancelPending == nil:
            guard let next = await reoffer(session, parts, refused: response, connection: connection) else { return }
            await runInvite(id, next, connection: connection, retried: retried.union([488]))
        case .response(let response):
            fail(session, .remote, FailureCause.cause(for: response.statusCode), response)
        case .authenticationFailed(let response):
            fail(session, .remote, FailureCause.cause(for: 401), response)
        case .timeout:
            fail(session, .system, FailureCause.requestTimeout, statusCode: 408)
        case .transportError:
            fail(session, .system, FailureCause.connectionError)
        }
    }

    /// The INVITE again with an offer in the session's fallback profile, after the peer refused
    /// the first one (a SIP phone reached over WebSocket without a media relay refuses WebRTC);
    /// nil when that offer cannot be made (the call has then failed).
    private func reoffer(
        _ session: CallSession, _ parts: RequestFactory.Parts, refused response: SIPResponse, connection: Connection
    ) async -> RequestFactory.Parts? {
        guard let profile = session.fallbackProfile, let local = connection.localAddress else { return nil }
        session.fallbackProfile = nil
        await session.media?.close()
        session.media = nil
        emit(
            .mediaNotice(
                session: session.id,
                message:
                    "the peer refused the WebRTC offer (\(response.statusCode) \(Self.refusal(response))): calling again with RTP/AVP"
            ))
        var next = parts
        do {
            let media = try await openMedia(session, localAddress: local.host, profile: profile)
            next.body = Array(try await media.makeOffer(direction: "sendrecv").utf8)
        } catch {
            fail(session, .system, "\(FailureCause.internalError): media: \(error)")
            return nil
        }
        next.cseq = ((try? session.invite?.cseq)?.number ?? parts.cseq) + 1
        session.state = .inviteSent
        return next
    }

    /// A refusal as the peer gave it: the reason phrase and any Warning text (RFC 3261 §20.43,
    /// where a phone says which part of an offer it could not take).
    static func refusal(_ response: SIPResponse) -> String {
        let warnings = response.headers.all(.init(.warning)).map { String($0.trimmingWhitespace) }
        return ([response.reasonPhrase] + warnings).joined(separator: "; ")
    }

    /// An outgoing call that never came up: the call that asked for it (REFER) hears why, then
    /// `failed` is reported.
    private func fail(
        _ session: CallSession, _ originator: UAEvent.Originator, _ cause: String, _ response: SIPResponse? = nil,
        statusCode: Int? = nil
    ) {
        let status = response?.statusCode ?? statusCode
        notifyReferrer(session, status: status ?? 503, reason: response?.reasonPhrase ?? cause)
        finish(
            session,
            .failed(
                session: session.id, originator: originator, cause: cause, statusCode: status,
                reasonPhrase: response.map(Self.refusal)))
    }

    private func inviteProvisional(_ id: String, _ response: SIPResponse) async {
        guard let session = calls[id] else { return }
        if session.state == .canceled, let reason = session.cancelPending, !session.cancelSent {
            session.cancelSent = true
            // Not awaited: this runs on the inbound queue the CANCEL's answer will come through.
            Task { await self.sendCancel(session, reason: reason) }
            return
        }
        guard session.state == .inviteSent || session.state == .provisionalReceived else { return }
        session.state = .provisionalReceived
        guard response.statusCode > 100 else { return }
        if !response.body.isEmpty, let media = session.media {
            // Early media (a 183 with SDP): applied as the answer; no PRACK (JsSIP).
            await media.playLocalTone(nil)
            try? await media.applyAnswer(response.bodyText)
        } else if response.statusCode == 180 {
            await session.media?.playLocalTone(.ringback)
        }
        emit(
            .progress(
                session: id, originator: .remote, statusCode: response.statusCode, reasonPhrase: response.reasonPhrase))
        notifyReferrer(session, status: response.statusCode, reason: response.reasonPhrase)
    }

    private func inviteAccepted(_ session: CallSession, _ response: SIPResponse) async {
        guard let invite = session.invite, let dialog = Dialog(uac: invite, response: response) else {
            // A 2xx without a To tag makes no dialog: nothing can be ACKed or ended.
            finish(
                session,
                .failed(
                    session: session.id, originator: .remote, cause: FailureCause.dialogError,
                    statusCode: response.statusCode, reasonPhrase: response.reasonPhrase))
            return
        }
        session.dialog = dialog
        session.remoteIdentity = dialog.remoteURI
        session.peerAllowsUpdate = Self.allows(.update, in: response)
        await session.media?.playLocalTone(nil)
        await sendAck(session, cseq: dialog.localSeq, body: nil)
        do {
            guard let media = session.media, !response.body.isEmpty else { throw MediaMissing() }
            try await media.applyAnswer(response.bodyText)
        } catch {
            await sendBye(session, reason: ReasonValue(protocol: "SIP", cause: 488, text: "Not Acceptable Here"))
            fail(session, .remote, FailureCause.badMediaDescription, response)
            return
        }
        session.state = .confirmed
        session.startTime = .now
        emit(.accepted(session: session.id, originator: .remote))
        emit(.confirmed(session: session.id, originator: .local))
        applySessionTimer(session, response: response)
        notifyReferrer(session, status: response.statusCode, reason: response.reasonPhrase)
    }

    static func minSE(_ response: SIPResponse) -> Int {
        ((try? response.headers.value(.minSE, as: DeltaSeconds.self)) ?? nil).map { Int($0.seconds) } ?? 0
    }

    static func allows(_ method: SIPMethod, in message: some SIPMessageParts) -> Bool {
        let allowed = message.headers.all(.init(.allow)).flatMap { $0.split(separator: ",") }
        return allowed.contains { $0.trimmingWhitespace.uppercased() == method.name }
    }

    /// A 2xx no transaction wanted: a retransmission (ACK again) or a second fork (ACK and BYE).
    func receiveStray(_ response: SIPResponse) async {
        guard response.isSuccess, (try? response.cseq?.method) == .invite, let callID = try? response.callID,
            let fromTag = try? response.from?.tag, let session = calls[callID + fromTag], let invite = session.invite,
            let forked = Dialog(uac: invite, response: response)
        else { return }
        if let dialog = session.dialog, dialog.remoteTag == forked.remoteTag {
            await sendAck(session, cseq: (try? response.cseq?.number) ?? dialog.localSeq, body: nil)
            return
        }
        var other = forked
        await sendAck(dialog: other, body: nil)
        other.localSeq += 1
        // Not awaited: this runs on the inbound queue the BYE's answer will come through.
        let bye = other
        Task { _ = await self.sendRequest(in: bye, method: .bye, headers: []) }
    }

    /// CANCEL (RFC 3261 §9.1): the INVITE's Request-URI, top Via, From, To, Call-ID and Route.
    func sendCancel(_ session: CallSession, reason: ReasonValue?) async {
        guard let invite = session.invite else { return }
        session.cancelSent = true
        var cancel = SIPRequest(method: .cancel, uri: invite.uri)
        for field in invite.headers {
            switch field.name.known {
            case .via:
                if !cancel.headers.contains(.init(.via)) { cancel.headers.append(field) }
            case .route, .maxForwards, .to, .from, .callID: cancel.headers.append(field)
            default: break
            }
        }
        let number = (try? invite.cseq)?.number ?? 1
        cancel.headers.append(.init(.cseq), "\(number) CANCEL")
        if let reason { cancel.headers.append(.init(.reason), reason.description) }
        cancel.headers.append(.init(.userAgent), configuration.userAgent)
        cancel.setBody([])
        _ = await transactions.send(cancel)
    }
}

struct MediaMissing: Error, CustomStringConvertible {
    var description: String { "no session description" }
}
