import SIPMessage

extension UserAgent {
    /// Transfers the call (REFER, RFC 3515): blind to `target`, or attended to the call
    /// `replaces` (its dialog rides in the Refer-To as a Replaces header, RFC 3891). Progress
    /// comes as referStatus events from the peer's NOTIFYs.
    public func refer(_ id: String, target: String?, replaces otherID: String? = nil) async throws(RequestFailure) {
        guard let session = calls[id], session.state == .confirmed || session.state == .waitingForAck else {
            throw RequestFailure.invalidState(id)
        }
        var uri: SIPURI
        var replacesValue: String?
        if let otherID {
            guard let other = calls[otherID], let dialog = other.dialog, !other.state.isEnded,
                let otherURI = other.remoteIdentity.uri.sipURI
            else { throw RequestFailure.invalidState(otherID) }
            uri = otherURI
            replacesValue = dialog.replacesForPeer.description
        } else {
            guard let target else { throw RequestFailure(cause: "Invalid Target: none given", statusCode: nil) }
            do {
                uri = try DialTarget.normalize(target, defaultDomain: defaultDomain)
            } catch {
                throw RequestFailure(cause: "Invalid Target: \(error.reason)", statusCode: nil)
            }
        }
        uri.headers = []
        if let target, otherID != nil, let explicit = try? DialTarget.normalize(target, defaultDomain: defaultDomain) {
            uri = explicit
        }
        if let replacesValue { uri.setHeader("Replaces", replacesValue) }
        let referTo = "<\(uri)>"
        let outcome = await sendInDialog(
            session, method: .refer,
            headers: [
                HeaderField(.init(.referTo), referTo), HeaderField(.init(.referredBy), "<\(addressOfRecord)>"),
            ])
        guard let response = outcome.response, response.isSuccess else {
            emit(.referStatus(session: id, status: "requestFailed", statusCode: outcome.response?.statusCode))
            throw RequestFailure(
                cause: outcome.response.map { FailureCause.cause(for: $0.statusCode) } ?? FailureCause.requestTimeout,
                statusCode: outcome.response?.statusCode)
        }
        if let cseq = try? response.cseq { session.sentRefers.append(String(cseq.number)) }
        emit(.referStatus(session: id, status: "requestSucceeded", statusCode: response.statusCode))
    }

    /// A NOTIFY for a REFER we sent: the sipfrag's status line is the new call's progress.
    func receiveNotify(_ request: SIPRequest, session: CallSession) async {
        guard let event = (try? request.headers.value(.event, as: EventValue.self)) ?? nil,
            event.package.lowercased() == "refer"
        else {
            await replyInDialog(session, request, 489)
            return
        }
        await replyInDialog(session, request, 200)
        let line = request.bodyText.split(whereSeparator: \.isNewline).first ?? ""
        let code = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        let status: String
        switch code ?? 0 {
        case 100: status = "trying"
        case 101..<200: status = "progress"
        case 200..<300: status = "accepted"
        default: status = "failed"
        }
        emit(.referStatus(session: session.id, status: status, statusCode: code))
    }

    /// A REFER from the peer: 202 at once and a "100 Trying" NOTIFY, then the user decides.
    func receiveRefer(_ request: SIPRequest, session: CallSession) async {
        guard session.state == .confirmed || session.state == .waitingForAck else {
            await replyInDialog(session, request, 403, reason: "Wrong Status")
            return
        }
        guard let referTo = (try? request.headers.value(.referTo, as: NameAddress.self)) ?? nil else {
            await replyInDialog(session, request, 400, reason: "Missing or Invalid Refer-To")
            return
        }
        guard let uri = referTo.uri.sipURI else {
            await replyInDialog(session, request, 416)
            return
        }
        await replyInDialog(session, request, 202)
        let eventID = (try? request.cseq).map { String($0.number) } ?? "1"
        session.receivedRefer = (eventID, uri)
        // Queued, not awaited: a request handler never waits for a transaction of its own.
        queueReferNotify(session, eventID: eventID, fragment: "SIP/2.0 100 Trying", final: false)
        var shown = uri
        shown.headers = []
        emit(.refer(session: session.id, target: shown.description))
    }

    /// Accepts the peer's REFER: places the call it asks for (a Replaces URI header becomes a
    /// Replaces header) and NOTIFYs its progress. Returns the new call's id.
    @discardableResult
    public func acceptRefer(_ id: String) async throws(RequestFailure) -> String {
        guard let session = calls[id], let (eventID, uri) = session.receivedRefer else {
            throw RequestFailure(cause: "Invalid State: no REFER to accept on \(id)", statusCode: nil)
        }
        session.receivedRefer = nil
        var headers: [HeaderField] = []
        if let replaces = uri.headers.first(where: { $0.name.lowercased() == "replaces" })?.value {
            headers.append(HeaderField(.init(.replaces), replaces))
        }
        do {
            return try await placeCall(to: uri, options: CallOptions(), headers: headers, referredBy: (id, eventID))
        } catch {
            queueReferNotify(session, eventID: eventID, fragment: "SIP/2.0 503 Service Unavailable", final: true)
            throw error
        }
    }

    public func rejectRefer(_ id: String) async throws(RequestFailure) {
        guard let session = calls[id], let (eventID, _) = session.receivedRefer else {
            throw RequestFailure(cause: "Invalid State: no REFER to reject on \(id)", statusCode: nil)
        }
        session.receivedRefer = nil
        queueReferNotify(session, eventID: eventID, fragment: "SIP/2.0 603 Declined", final: true)
    }

    /// Tells the call that asked for this one (REFER) how it is going.
    func notifyReferrer(_ session: CallSession, status: Int, reason: String) {
        guard let (referrerID, eventID) = session.referredBy, let referrer = calls[referrerID] else { return }
        let final = status >= 200
        if final { session.referredBy = nil }
        queueReferNotify(referrer, eventID: eventID, fragment: "SIP/2.0 \(status) \(reason)", final: final)
    }

    /// Queues a NOTIFY for a REFER, in order. A notifier never has two outstanding in a dialog
    /// (RFC 6665 §4.2.2), so each goes once the previous one is answered.
    func queueReferNotify(_ session: CallSession, eventID: String, fragment: String, final: Bool) {
        session.pendingNotifies.append((eventID, fragment, final))
        guard !session.notifying else { return }
        session.notifying = true
        Task { await self.drainNotifies(session) }
    }

    private func drainNotifies(_ session: CallSession) async {
        while !session.pendingNotifies.isEmpty, calls[session.id] != nil, !session.state.isEnded {
            let next = session.pendingNotifies.removeFirst()
            await sendInDialog(
                session, method: .notify,
                headers: [
                    HeaderField(.init(.event), "refer;id=\(next.eventID)"),
                    HeaderField(
                        .init(.subscriptionState),
                        next.final ? "terminated;reason=noresource" : "active;expires=300"),
                ], contentType: "message/sipfrag;version=2.0", body: Array((next.fragment + "\r\n").utf8))
        }
        session.notifying = false
    }
}
