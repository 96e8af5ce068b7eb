import SIPUserAgent

/// The agent's subscription commands, JsSIP's methods by name: `subscribe` (ua.subscribe and
/// subscriber.subscribe), `terminate` with a `subscriber` or `notifier`, `notify` (ua.notify +
/// notifier.start the first time, notifier.notify after), `setActiveState`, `rejectSubscribe`.
extension HeadlessAgent {
    func subscriptionCommand(_ request: AgentRequest) async {
        let id = request.id
        do throws(UserAgent.RequestFailure) {
            switch request.cmd {
            case "subscribe":
                if let subscriber = request.subscriber {
                    try await ua.resubscribe(subscriber, body: request.body)
                    reply(id, ok: true, ["subscriber": subscriber])
                    return
                }
                guard let target = request.target else { return _ = missing(id, "target") }
                guard let eventName = request.eventName else { return _ = missing(id, "eventName") }
                guard let accept = request.accept else { return _ = missing(id, "accept") }
                let subscriber = try await ua.subscribe(
                    target: target, eventName: eventName, accept: accept,
                    options: UserAgent.SubscribeOptions(
                        expires: request.expires, contentType: request.contentType, allowEvents: request.allowEvents,
                        extraHeaders: request.extraHeaders ?? [], body: request.body))
                reply(id, ok: true, ["subscriber": subscriber])
            case "terminate":
                if let subscriber = request.subscriber {
                    try await ua.unsubscribe(subscriber, body: request.body)
                } else if let notifier = request.notifier {
                    await ua.terminateNotifier(
                        notifier, body: request.body, reason: request.reason, retryAfter: request.retryAfter)
                }
                reply(id, ok: true)
            case "notify":
                guard let notifier = request.notifier else { return _ = missing(id, "notifier") }
                if await ua.isNotifier(notifier) {
                    try await ua.sendNotify(notifier, body: request.body)
                } else {
                    guard let contentType = request.contentType else { return _ = missing(id, "contentType") }
                    try await ua.notify(
                        notifier, contentType: contentType,
                        options: UserAgent.NotifyOptions(
                            pending: request.pending ?? false, allowEvents: request.allowEvents,
                            extraHeaders: request.extraHeaders ?? [], defaultExpires: request.defaultExpires))
                }
                reply(id, ok: true, ["notifier": notifier])
            case "setActiveState":
                guard let notifier = request.notifier else { return _ = missing(id, "notifier") }
                try await ua.setActiveState(notifier)
                reply(id, ok: true)
            case "rejectSubscribe":
                guard let notifier = request.notifier else { return _ = missing(id, "notifier") }
                await ua.rejectSubscribe(notifier, statusCode: request.statusCode ?? 403)
                reply(id, ok: true)
            default:
                reply(id, ok: false, ["error": "unknown command '\(request.cmd)'"])
            }
        } catch {
            reply(id, ok: false, ["error": error.description])
        }
    }
}
