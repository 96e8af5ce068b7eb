import SIPMessage

/// Incoming subscriptions: JsSIP's `newSubscribe`, `ua.notify` and the Notifier's life.
extension UserAgent {
    public struct NotifyOptions: Sendable {
        public var pending: Bool
        public var allowEvents: String?
        public var extraHeaders: [String]
        public var defaultExpires: Int?

        public init(
            pending: Bool = false, allowEvents: String? = nil, extraHeaders: [String] = [], defaultExpires: Int? = nil
        ) {
            self.pending = pending
            self.allowEvents = allowEvents
            self.extraHeaders = extraHeaders
            self.defaultExpires = defaultExpires
        }
    }

    /// How long an incoming SUBSCRIBE waits for the app's `notify` or `rejectSubscribe`
    /// before it is answered 405, well inside the subscriber's 32 s transaction.
    static let subscribeDecisionTime: Duration = .seconds(10)
    /// How long an un-SUBSCRIBE or an expiry waits for the app's own final NOTIFY.
    static let finalNotifyGrace: Duration = .seconds(2)

    /// An out-of-dialog SUBSCRIBE: JsSIP's checks (405 when they fail or nothing takes
    /// subscriptions), then `newSubscribe` for the app to take or refuse.
    func receiveNewSubscribe(_ request: SIPRequest, from source: Destination?) async {
        if await servePhoneState(request, from: source) { return }
        guard handlesSubscriptions, Notifier.problem(with: request) == nil else {
            await reply(request, 405)
            return
        }
        let id = "ntf-" + RandomTokens.token(10)
        let deadline = Task {
            try? await Task.sleep(for: Self.subscribeDecisionTime)
            guard !Task.isCancelled else { return }
            await self.rejectSubscribe(id, statusCode: 405)
        }
        incomingSubscribes[id] = (request, source, deadline)
        let event = request.headers[.init(.event)].map(String.init) ?? ""
        let from = (try? request.from)?.map { $0.uri.description } ?? ""
        let contentType = try? request.contentType?.description
        emit(
            .newSubscribe(
                notifier: id, event: event, from: from, accept: request.headers[.init(.accept)].map(String.init),
                expires: ((try? request.expires) ?? nil).map(Int.init), contentType: contentType ?? nil,
                body: request.bodyText))
    }

    /// Incoming SUBSCRIBEs are reported by `newSubscribe` from now on, not answered 405.
    public func takeSubscriptions() { handlesSubscriptions = true }

    /// True once `notify` has taken the SUBSCRIBE reported as `id`, until the notifier ends.
    public func isNotifier(_ id: String) -> Bool { notifiers[id] != nil }

    /// Refuses a SUBSCRIBE reported by `newSubscribe` (e.g. 489 Bad Event, 406, 403).
    public func rejectSubscribe(_ id: String, statusCode: Int = 403) async {
        guard let waiting = incomingSubscribes.removeValue(forKey: id) else { return }
        waiting.deadline.cancel()
        await reply(waiting.request, (300...699).contains(statusCode) ? statusCode : 403)
    }

    /// JsSIP's `ua.notify(request, contentType, options)` followed by `notifier.start()`: the
    /// SUBSCRIBE reported as `id` is answered 200 and `subscribe` follows.
    public func notify(
        _ id: String, contentType: String, options: NotifyOptions = NotifyOptions()
    ) async throws(RequestFailure) {
        guard !contentType.isEmpty else { throw RequestFailure(cause: "Missing contentType", statusCode: nil) }
        guard let waiting = incomingSubscribes.removeValue(forKey: id) else {
            throw RequestFailure(cause: "No SUBSCRIBE waits as \(id)", statusCode: nil)
        }
        waiting.deadline.cancel()
        let notifier = Notifier(
            id: id, subscribe: waiting.request, source: waiting.source, contentType: contentType,
            pending: options.pending, allowEvents: options.allowEvents,
            extraHeaders: Configuration.headerFields(options.extraHeaders), defaultExpires: options.defaultExpires)
        notifiers[id] = notifier
        await receiveSubscribe(waiting.request, notifier: notifier, from: waiting.source)
    }

    /// JsSIP's `notifier.setActiveState()`: a pending subscription becomes active.
    public func setActiveState(_ id: String) throws(RequestFailure) {
        guard let notifier = notifiers[id], notifier.state != .terminated else {
            throw RequestFailure(cause: "No such notifier: \(id)", statusCode: nil)
        }
        if notifier.state == .pending { notifier.state = .active }
    }

    /// JsSIP's `notifier.notify(body)`: a NOTIFY with the state and the time left; once the
    /// time is up it is the final one (reason timeout).
    public func sendNotify(_ id: String, body: String? = nil) async throws(RequestFailure) {
        guard let notifier = notifiers[id], notifier.state != .terminated else {
            throw RequestFailure(cause: "No such notifier: \(id)", statusCode: nil)
        }
        let left = notifier.remaining
        if left <= 0 {
            await terminateNotifier(id, body: body, reason: "timeout")
        } else {
            await sendNotifyRequest(notifier, state: "\(notifier.state.rawValue);expires=\(left)", body: body)
        }
    }

    /// JsSIP's `notifier.terminate(body, reason, retryAfter)`: the final NOTIFY.
    public func terminateNotifier(
        _ id: String, body: String? = nil, reason: String? = nil, retryAfter: Int? = nil
    )
        async
    {
        guard let notifier = notifiers[id], notifier.state != .terminated else { return }
        var state = "terminated"
        if let reason { state += ";reason=\(reason)" }
        if let retryAfter { state += ";retry-after=\(retryAfter)" }
        notifier.closing?.cancel()
        let finished = sendNotifyRequest(notifier, state: state, body: body)
        endNotifier(id, reason == "timeout" ? .subscriptionExpired : .finalNotifySent)
        await finished
    }

    /// The notifier a SUBSCRIBE in its dialog belongs to.
    func notifier(for request: SIPRequest, toTag: String) -> Notifier? {
        guard let callID = try? request.callID, let fromTag = (try? request.from?.tag) ?? nil else { return nil }
        return notifiers.values.first { notifier in
            notifier.localTag == toTag
                && notifier.dialog?.matches(callID: callID, localTag: toTag, remoteTag: fromTag)
                    == true
        }
    }

    /// JsSIP's `Notifier.receiveRequest`: any SUBSCRIBE of the subscription, the first included.
    /// An un-SUBSCRIBE (Expires: 0) waits briefly for the app's final NOTIFY, then sends one
    /// itself (RFC 6665 §4.2.1.4: every SUBSCRIBE is followed by a NOTIFY).
    func receiveSubscribe(_ request: SIPRequest, notifier: Notifier, from source: Destination?) async {
        if let dialog = notifier.dialog, let cseq = try? request.cseq {
            var updated = dialog
            guard updated.acceptRemote(cseq: cseq.number) else {
                await reply(request, 500)
                return
            }
            updated.refreshTarget(from: request)
            notifier.dialog = updated
        } else {
            notifier.dialog = Dialog(uas: request, localTag: notifier.localTag)
        }
        let expires = ((try? request.expires) ?? nil).map(Int.init) ?? notifier.defaultExpires
        notifier.expires = expires
        var extra = [HeaderField(.init(.expires), String(expires))]
        if let connection = await transport.connection { extra.append(dialogContact(connection)) }
        await reply(request, 200, toTag: notifier.localTag, extra: extra)
        let id = notifier.id
        let contentType = try? request.contentType?.description
        let isUnsubscribe = expires == 0
        if !isUnsubscribe { startExpiry(notifier) }
        emit(
            .notifierSubscribe(
                notifier: id, isUnsubscribe: isUnsubscribe, contentType: contentType ?? nil, body: request.bodyText))
        if isUnsubscribe {
            notifier.expiry?.cancel()
            closeLater(notifier, reason: nil, code: .unsubscribeReceived)
        }
        guard let package = notifier.servedPackage else { return }
        // The phone's own state: every SUBSCRIBE gets a NOTIFY with it at once.
        let body = phoneState(package, for: notifier)
        if isUnsubscribe {
            await terminateNotifier(id, body: body)
        } else {
            try? await sendNotify(id, body: body)
        }
    }

    private func startExpiry(_ notifier: Notifier) {
        notifier.expiresAt = .now + .seconds(notifier.expires)
        notifier.expiry?.cancel()
        let id = notifier.id
        let expires = notifier.expires
        notifier.expiry = Task {
            try? await Task.sleep(for: .seconds(expires))
            guard !Task.isCancelled else { return }
            await self.expired(id)
        }
    }

    private func expired(_ id: String) {
        guard let notifier = notifiers[id], notifier.state != .terminated else { return }
        emit(.notifierExpired(notifier: id))
        closeLater(notifier, reason: "timeout", code: .subscriptionExpired)
    }

    /// Gives the app `finalNotifyGrace` to send its own final NOTIFY, then sends one without a body.
    private func closeLater(_ notifier: Notifier, reason: String?, code: Notifier.Termination) {
        let id = notifier.id
        notifier.closing?.cancel()
        notifier.closing = Task {
            try? await Task.sleep(for: Self.finalNotifyGrace)
            guard !Task.isCancelled, let notifier = self.notifiers[id], notifier.state != .terminated else { return }
            let finished = self.sendNotifyRequest(
                notifier, state: "terminated" + (reason.map { ";reason=\($0)" } ?? ""), body: nil)
            self.endNotifier(id, code)
            await finished
        }
    }

    /// Sends one NOTIFY in the notifier's dialog; returns a task that handles its answer, so a
    /// final NOTIFY can end the notifier before the answer comes.
    @discardableResult
    private func sendNotifyRequest(_ notifier: Notifier, state: String, body: String?) -> Task<Void, Never> {
        guard var dialog = notifier.dialog else { return Task {} }
        dialog.localSeq += 1
        notifier.dialog = dialog
        let id = notifier.id
        let headers = notifier.headers + [HeaderField(.init(.subscriptionState), state)]
        let contentType = body == nil ? nil : notifier.contentType
        let bytes = Array((body ?? "").utf8)
        // One NOTIFY at a time per subscription, in CSeq order (RFC 6665 §4.2.2: the next waits
        // for the previous one's answer); two in flight could cross on the way and the watcher
        // refuse the older one (500, lower CSeq).
        let previous = notifier.lastNotify
        let task = Task {
            await previous?.value
            let contact = await self.transport.connection.map { self.dialogContact($0) }
            let parts = self.dialogParts(
                dialog, method: .notify, headers: headers + (contact.map { [$0] } ?? []), contentType: contentType,
                body: bytes)
            let outcome = await self.send(parts, onCSeq: { cseq in self.notifiers[id]?.dialog?.localSeq = cseq })
            await self.notifyAnswered(id, outcome)
        }
        notifier.lastNotify = task
        return task
    }

    private func notifyAnswered(_ id: String, _ outcome: ClientOutcome) {
        switch outcome {
        case .timeout: endNotifier(id, .notifyResponseTimeout)
        case .transportError: endNotifier(id, .notifyTransportError)
        case .authenticationFailed: endNotifier(id, .notifyAuthenticationFailed)
        case .response(let response) where response.statusCode == 401 || response.statusCode == 407:
            endNotifier(id, .notifyAuthenticationFailed)
        case .response(let response) where response.statusCode >= 300: endNotifier(id, .notifyNonOkResponse)
        case .response: break
        }
    }

    func endNotifier(_ id: String, _ code: Notifier.Termination) {
        guard let notifier = notifiers[id], notifier.state != .terminated else { return }
        notifier.state = .terminated
        notifier.expiry?.cancel()
        notifier.closing?.cancel()
        notifiers[id] = nil
        emit(.notifierTerminated(notifier: id, code: code.rawValue, cause: code.name))
    }
}
