import SIPMessage

extension UserAgent {
    /// Answers a request that arrived outside any dialog, with JsSIP's checks first: 416 for a
    /// scheme other than sip, 404 for another user, 482 for a merged request, 481 for a dialog
    /// sipterm does not have, 405 for a method it does not allow.
    func receive(_ request: SIPRequest, from source: Destination?) async {
        switch await transactions.receive(request: request, from: source) {
        case .retransmission, .absorbedACK: return
        case .forDialog:
            if request.method == .ack { await receiveAck(request) }
            return
        case .merged:
            await reply(request, 482)
            return
        case .new: break
        }
        do {
            try SIPMessage.request(request).validate()
        } catch {
            if request.method != .ack { await reply(request, error.statusCode, reason: nil) }
            return
        }
        guard let uri = request.uri.sipURI, !uri.isSecure else {
            await reply(request, 416)
            return
        }
        // JsSIP answers requests for the address-of-record's user and for the Contact's (most
        // registrars and proxies send calls to the Contact).
        if let user = uri.user, user != configuration.uri.user,
            user != (configuration.contactURI?.user ?? factory.contactUser)
        {
            await reply(request, 404)
            return
        }
        if request.method == .cancel {
            await receiveCancel(request)
            return
        }
        if let toTag = (try? request.to?.tag) ?? nil {
            if let callID = try? request.callID, let session = calls[callID + toTag], !session.state.isEnded {
                await receiveInDialog(request, session: session)
            } else if request.method == .notify, let subscriber = subscriber(for: request, toTag: toTag) {
                await receiveNotify(request, subscriber: subscriber)
            } else if request.method == .subscribe, let notifier = notifier(for: request, toTag: toTag) {
                await receiveSubscribe(request, notifier: notifier, from: source)
            } else if request.method == .notify {
                await reply(request, 481, reason: "Subscription does not exist")
            } else if request.method != .ack {
                await reply(request, 481)
            }
            return
        }
        let from = (try? request.from)?.map { $0.uri.description } ?? ""
        switch request.method {
        case .options:
            emit(.newOptions(originator: .remote, from: from))
            await reply(request, 200)
        case .message:
            let to = (try? request.to)?.map { $0.uri.description } ?? ""
            let contentType = try? request.contentType?.description
            emit(
                .newMessage(
                    originator: .remote, from: from, to: to, contentType: contentType ?? nil, body: request.bodyText,
                    statusCode: nil))
            await reply(request, 200)
        case .notify:
            // JsSIP's sipEvent: an out-of-dialog NOTIFY is reported and accepted.
            let event = try? request.headers.value(.event, as: EventValue.self)?.package
            let contentType = try? request.contentType?.description
            emit(.sipEvent(event: event ?? nil, from: from, contentType: contentType ?? nil, body: request.bodyText))
            reportMessageSummary(request)
            await reply(request, 200)
        case .invite:
            await receiveInvite(request, from: source)
        case .ack:
            return
        case .subscribe:
            await receiveNewSubscribe(request, from: source)
        case .bye, .info, .update, .refer:
            await reply(request, 481)
        default:
            await reply(request, 405)
        }
    }

    func reply(
        _ request: SIPRequest, _ status: Int, reason: String? = nil, toTag: String? = nil, extra: [HeaderField] = []
    ) async {
        let response = ResponseFactory.make(
            to: request, status: status, reason: reason, configuration: configuration,
            toTag: toTag ?? RandomTokens.tag(), extra: extra)
        await transactions.respond(to: request, with: response)
    }
}
