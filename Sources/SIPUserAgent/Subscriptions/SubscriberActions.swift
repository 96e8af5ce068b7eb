import SIPMessage

/// JsSIP's `ua.subscribe` and the Subscriber's life: SUBSCRIBE out, NOTIFYs in, refreshes, the
/// un-SUBSCRIBE and the end.
extension UserAgent {
    public struct SubscribeOptions: Sendable {
        public var expires: Int?
        public var contentType: String?
        public var allowEvents: String?
        public var extraHeaders: [String]
        public var body: String?

        public init(
            expires: Int? = nil, contentType: String? = nil, allowEvents: String? = nil, extraHeaders: [String] = [],
            body: String? = nil
        ) {
            self.expires = expires
            self.contentType = contentType
            self.allowEvents = allowEvents
            self.extraHeaders = extraHeaders
            self.body = body
        }
    }

    /// Subscribes to `eventName` (a package, `;id=` allowed) at `target` and sends the first
    /// SUBSCRIBE; returns the subscriber's id, which its events carry.
    public func subscribe(
        target: String, eventName: String, accept: String, options: SubscribeOptions = SubscribeOptions()
    ) async throws(RequestFailure) -> String {
        let uri: SIPURI
        do {
            uri = try DialTarget.normalize(target, defaultDomain: defaultDomain)
        } catch {
            throw RequestFailure(cause: "Invalid Target: \(error.reason)", statusCode: nil)
        }
        guard let event = try? EventValue(parsing: Substring(eventName)) else {
            throw RequestFailure(cause: "Invalid eventName: \(eventName)", statusCode: nil)
        }
        guard !accept.isEmpty else { throw RequestFailure(cause: "Missing accept", statusCode: nil) }
        if options.body != nil, options.contentType == nil {
            throw RequestFailure(cause: "A body needs a contentType", statusCode: nil)
        }
        let extra = Configuration.headerFields(options.extraHeaders)
        let subscriber = Subscriber(
            id: "sub-" + RandomTokens.token(10), target: uri, event: event, accept: accept, expires: options.expires,
            contentType: options.contentType, allowEvents: options.allowEvents, extraHeaders: extra)
        subscribers[subscriber.id] = subscriber
        subscriber.state = .notifyWait
        let parts = RequestFactory.Parts(
            method: .subscribe, uri: uri, to: NameAddress(uri: uri), fromTag: subscriber.fromTag,
            callID: subscriber.callID, cseq: subscriber.cseq,
            headers: await contactFirst(subscriber.headers),
            contentType: options.body == nil ? nil : options.contentType,
            body: Array((options.body ?? "").utf8))
        let id = subscriber.id
        tasks.append(
            Task {
                let outcome = await self.send(parts, onCSeq: { cseq in self.subscribers[id]?.cseq = cseq })
                await self.subscribeAnswered(id, outcome)
            })
        return id
    }

    /// JsSIP's `subscriber.subscribe(body)` after the first: a refresh now.
    public func resubscribe(_ id: String, body: String? = nil) async throws(RequestFailure) {
        guard let subscriber = subscribers[id], subscriber.state != .terminated else {
            throw RequestFailure(cause: "No such subscription: \(id)", statusCode: nil)
        }
        await sendSubsequent(subscriber, body: body, headers: subscriber.headers)
    }

    /// JsSIP's `subscriber.terminate(body)`: an un-SUBSCRIBE (Expires: 0); the final NOTIFY ends it.
    public func unsubscribe(_ id: String, body: String? = nil) async throws(RequestFailure) {
        guard let subscriber = subscribers[id] else {
            throw RequestFailure(cause: "No such subscription: \(id)", statusCode: nil)
        }
        guard !subscriber.unsubscribing, subscriber.state != .terminated else { return }
        subscriber.unsubscribing = true
        subscriber.refresh?.cancel()
        let headers = subscriber.headers.map { field in
            field.name == .init(.expires) ? HeaderField(.init(.expires), "0") : field
        }
        await sendSubsequent(subscriber, body: body, headers: headers)
        // RFC 6665 §4.1.2.3: a final NOTIFY follows; without one the subscription still ends.
        subscriber.refresh = Task {
            try? await Task.sleep(for: .seconds(32))
            guard !Task.isCancelled else { return }
            self.endSubscription(id, .unsubscribeTimeout)
        }
    }

    /// At stop: every subscription is un-SUBSCRIBEd and every notifier sends its final NOTIFY
    /// (reason noresource), so no server keeps state for a phone that has gone. The requests
    /// leave while the calls end and the registration is removed.
    func endSubscriptions() {
        for watch in contactWatches.values { watch.retry?.cancel() }
        contactWatches = [:]
        for id in notifiers.keys { tasks.append(Task { await self.terminateNotifier(id, reason: "noresource") }) }
        for id in subscribers.keys { tasks.append(Task { try? await self.unsubscribe(id) }) }
    }

    private func contactFirst(_ headers: [HeaderField]) async -> [HeaderField] {
        guard !headers.contains(where: { $0.name == .init(.contact) }), let connection = await transport.connection
        else { return headers }
        return headers + [dialogContact(connection)]
    }

    private func sendSubsequent(_ subscriber: Subscriber, body: String?, headers: [HeaderField]) async {
        guard subscriber.state != .terminated else { return }
        guard var dialog = subscriber.dialog else {
            subscriber.queued.append((body, headers))
            return
        }
        dialog.localSeq += 1
        subscriber.dialog = dialog
        let parts = dialogParts(
            dialog, method: .subscribe, headers: await contactFirst(headers),
            contentType: body == nil ? nil : subscriber.contentType, body: Array((body ?? "").utf8))
        let id = subscriber.id
        let outcome = await send(parts, onCSeq: { cseq in self.subscribers[id]?.dialog?.localSeq = cseq })
        await subscribeAnswered(id, outcome)
    }

    /// JsSIP's `_receiveSubscribeResponse`, with the transport outcomes.
    private func subscribeAnswered(_ id: String, _ outcome: ClientOutcome) async {
        guard let subscriber = subscribers[id], subscriber.state != .terminated else { return }
        switch outcome {
        case .timeout: endSubscription(id, .subscribeResponseTimeout)
        case .transportError: endSubscription(id, .subscribeTransportError)
        case .authenticationFailed: endSubscription(id, .subscribeAuthenticationFailed)
        case .response(let response) where response.isSuccess:
            if subscriber.dialog == nil {
                guard let request = subscribeRequest(subscriber), var dialog = Dialog(uac: request, response: response),
                    Dialog.target(response) != nil
                else {
                    endSubscription(id, .subscribeWrongOkResponse)
                    return
                }
                dialog.localSeq = subscriber.cseq
                subscriber.dialog = dialog
            }
            if !subscriber.accepted {
                subscriber.accepted = true
                emit(.subscriptionAccepted(subscriber: id))
                for (body, headers) in subscriber.queued {
                    await sendSubsequent(subscriber, body: body, headers: headers)
                }
                subscriber.queued = []
            }
            guard !subscriber.unsubscribing else { return }
            let expires = ((try? response.expires) ?? nil).map(Int.init).flatMap { $0 > 0 ? $0 : nil }
            scheduleResubscribe(subscriber, expires: expires ?? Subscriber.defaultExpires)
        case .response(let response) where response.statusCode == 401 || response.statusCode == 407:
            endSubscription(id, .subscribeAuthenticationFailed)
        case .response(let response) where response.statusCode >= 300:
            // RFC 6665 §4.1.2.2: 489 (and a 400, 403, 405 or 501) means this peer does not offer it.
            endSubscription(
                id, .subscribeNonOkResponse, detail: "\(response.statusCode) \(response.reasonPhrase)",
                final: [400, 403, 405, 489, 501].contains(response.statusCode))
        case .response: break
        }
    }

    /// The first SUBSCRIBE as the dialog saw it: enough for `Dialog(uac:response:)`.
    private func subscribeRequest(_ subscriber: Subscriber) -> SIPRequest? {
        var request = SIPRequest(method: .subscribe, uri: .sip(subscriber.target))
        request.headers.append(.init(.from), factory.localIdentity(tag: subscriber.fromTag).description)
        request.headers.append(.init(.to), NameAddress(uri: subscriber.target).description)
        request.headers.append(.init(.callID), subscriber.callID)
        request.headers.append(.init(.cseq), "\(subscriber.cseq) SUBSCRIBE")
        return request
    }

    private func scheduleResubscribe(_ subscriber: Subscriber, expires: Int) {
        subscriber.expiresAt = .now + .seconds(expires)
        subscriber.refresh?.cancel()
        let id = subscriber.id
        subscriber.refresh = Task {
            try? await Task.sleep(for: Subscriber.refreshDelay(expires: expires))
            guard !Task.isCancelled else { return }
            try? await self.resubscribe(id)
        }
    }

    /// Ends the subscription once: its timer and dialog go, `terminated` reports JsSIP's code.
    /// `detail` says more for the contact list (a refusal's status), beyond JsSIP's fields;
    /// `final` says the peer will never take it (a contact's subscription is not made again).
    func endSubscription(
        _ id: String, _ code: Subscriber.Termination, reason: String? = nil, retryAfter: Int? = nil,
        detail: String? = nil, final: Bool = false
    ) {
        guard let subscriber = subscribers[id], subscriber.state != .terminated else { return }
        subscriber.state = .terminated
        subscriber.refresh?.cancel()
        subscribers[id] = nil
        emit(
            .subscriptionTerminated(
                subscriber: id, code: code.rawValue, cause: code.name, reason: reason, retryAfter: retryAfter))
        contactSubscriptionEnded(
            id, cause: detail ?? reason.map { "\(code.name) (\($0))" } ?? code.name, retry: !final,
            after: retryAfter)
    }

    /// The subscription a NOTIFY belongs to: its Call-ID, and our From tag as its To tag.
    func subscriber(for request: SIPRequest, toTag: String) -> Subscriber? {
        guard let callID = try? request.callID else { return nil }
        return subscribers.values.first { $0.callID == callID && $0.fromTag == toTag }
    }

    /// JsSIP's `Subscriber.receiveRequest` for a NOTIFY (RFC 6665 §4.1.3). The first NOTIFY
    /// may come before the 2xx and then creates the dialog (§4.1.2.4); a NOTIFY of another fork
    /// is refused 481, so one dialog stays.
    func receiveNotify(_ request: SIPRequest, subscriber: Subscriber) async {
        let remoteTag = (try? request.from?.tag) ?? nil
        if let dialog = subscriber.dialog {
            guard dialog.remoteTag == remoteTag else {
                await reply(request, 481, reason: "Subscription does not exist")
                return
            }
        } else if var dialog = Dialog(uas: request, localTag: subscriber.fromTag) {
            dialog.localSeq = subscriber.cseq
            subscriber.dialog = dialog
        }
        if let cseq = try? request.cseq, subscriber.dialog?.acceptRemote(cseq: cseq.number) == false {
            await reply(request, 500)
            return
        }
        let id = subscriber.id
        guard let event = try? request.headers.value(.event, as: EventValue.self) else {
            await reply(request, 400)
            endSubscription(id, .wrongNotifyReceived)
            return
        }
        guard event.package == subscriber.event.package, event.id == subscriber.event.id else {
            await reply(request, 489)
            endSubscription(id, .wrongNotifyReceived)
            return
        }
        guard let status = try? request.headers.value(.subscriptionState, as: SubscriptionState.self),
            let next = Subscriber.State(rawValue: status.state)
        else {
            await reply(request, 400)
            endSubscription(id, .wrongNotifyReceived)
            return
        }
        subscriber.dialog?.refreshTarget(from: request)
        await reply(request, 200, toTag: subscriber.fromTag)
        let previous = subscriber.state
        if previous != .terminated, next != .terminated {
            subscriber.state = next
            // A shorter time than the 2xx gave moves the refresh forward (2 s of slack).
            if let expires = status.expires, !subscriber.unsubscribing,
                let current = subscriber.expiresAt, current - (.now + .seconds(Int(expires))) > .seconds(2)
            {
                scheduleResubscribe(subscriber, expires: Int(expires))
            }
        }
        if previous != .pending, next == .pending {
            emit(.subscriptionPending(subscriber: id))
        } else if previous != .active, next == .active {
            emit(.subscriptionActive(subscriber: id))
        }
        let isFinal = next == .terminated
        if !request.body.isEmpty {
            let contentType = try? request.contentType?.description
            if id == voicemailSubscriber { reportMessageSummary(request) }
            reportContactNotify(request, subscriber: id)
            emit(
                .subscriptionNotify(
                    subscriber: id, isFinal: isFinal, contentType: contentType ?? nil, body: request.bodyText))
        }
        if isFinal {
            // RFC 6665 §4.1.3: after "rejected" or "noresource" the subscriber should not ask again.
            endSubscription(
                id, .finalNotifyReceived, reason: status.reason,
                retryAfter: status.parameters["retry-after"].flatMap { Int($0) },
                final: status.reason == "rejected" || status.reason == "noresource")
        }
    }
}
