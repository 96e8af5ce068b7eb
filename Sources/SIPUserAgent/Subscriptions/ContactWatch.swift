import SIPMessage

/// One watched contact (`sipterm.contacts`): its presence and dialog subscriptions and what
/// their NOTIFYs told.
final class ContactWatch {
    let contact: Contact
    var presenceSubscriber: String?
    var dialogSubscriber: String?
    /// The contact refused the package for good (RFC 6665: 489 and the like, or a final NOTIFY
    /// with reason rejected or noresource): it is not asked again.
    var presenceRefused = false
    var dialogRefused = false
    var presence: PresenceStatus?
    var lamp = BusyLamp()
    /// Whether a dialog-info document has been applied (before it the lamp is unknown).
    var lampKnown = false
    /// What went wrong with each subscription, kept apart so that news on one (a presence
    /// NOTIFY) does not hide what the other said (a refused dialog subscription).
    var presenceProblem: String?
    var dialogProblem: String?
    /// Both problems, presence first; nil when neither subscription has one.
    var problem: String? {
        let both = [presenceProblem, dialogProblem].compactMap { $0 }
        return both.isEmpty ? nil : both.joined(separator: "; ")
    }
    /// The next wait before an ended subscription is made again, and the wait under way: a
    /// contact whose phone is offline refuses the dialog subscription until it registers.
    var retryDelay = ContactWatch.firstRetry
    var retry: Task<Void, Never>?
    static let firstRetry: Duration = .seconds(5)
    static let longestRetry: Duration = .seconds(300)

    init(contact: Contact) { self.contact = contact }
}

/// Presence (RFC 3856) and busy lamps (RFC 4235) of the contacts: a presence and a dialog
/// subscription per contact, made after registering (or on connecting when register is off),
/// re-made when one has ended, and dropped with the contact.
extension UserAgent {
    static let pidfType = "application/pidf+xml"
    static let dialogInfoType = "application/dialog-info+xml"

    /// Subscribes for every contact that lacks a subscription and un-subscribes removed ones.
    func updateContactWatches() async {
        let wanted = configuration.contacts
        let uris = Set(wanted.map(\.uri))
        for (uri, watch) in contactWatches where !uris.contains(uri) {
            contactWatches[uri] = nil
            watch.retry?.cancel()
            for id in [watch.presenceSubscriber, watch.dialogSubscriber].compactMap({ $0 }) {
                try? await unsubscribe(id)
            }
        }
        for contact in wanted {
            let watch = contactWatches[contact.uri] ?? ContactWatch(contact: contact)
            contactWatches[contact.uri] = watch
            if watch.presenceSubscriber == nil, !watch.presenceRefused {
                watch.presenceSubscriber = try? await subscribe(
                    target: contact.uri, eventName: "presence", accept: Self.pidfType,
                    options: SubscribeOptions(expires: 600))
            }
            if watch.dialogSubscriber == nil, !watch.dialogRefused {
                watch.dialogSubscriber = try? await subscribe(
                    target: contact.uri, eventName: "dialog", accept: Self.dialogInfoType,
                    options: SubscribeOptions(expires: 600))
            }
        }
    }

    /// The watch a subscription belongs to.
    private func contactWatch(of id: String) -> ContactWatch? {
        contactWatches.values.first { $0.presenceSubscriber == id || $0.dialogSubscriber == id }
    }

    /// A NOTIFY of a contact's subscription: read, and the contact's state reported. An
    /// unreadable body is reported as the contact's problem; the subscription stays.
    func reportContactNotify(_ request: SIPRequest, subscriber id: String) {
        guard let watch = contactWatch(of: id) else { return }
        watch.retryDelay = ContactWatch.firstRetry
        let isPresence = id == watch.presenceSubscriber
        do throws(XMLError) {
            if request.body.isEmpty {
                // No document: the server knows no state (nothing published, or withdrawn).
                guard isPresence, watch.presence != nil else { return }
                watch.presence = nil
            } else if isPresence {
                watch.presence = try PresenceStatus(pidf: request.bodyText)
            } else {
                try watch.lamp.apply(dialogInfo: request.bodyText)
                watch.lampKnown = true
            }
            if isPresence { watch.presenceProblem = nil } else { watch.dialogProblem = nil }
        } catch {
            let what = isPresence ? "presence" : "dialog-info"
            let problem = "unreadable \(what) from \(watch.contact.uri): \(error.reason)"
            if isPresence { watch.presenceProblem = problem } else { watch.dialogProblem = problem }
        }
        emitContactState(watch)
    }

    /// A contact's subscription ended: said, its state forgotten, and (unless `retry` is off:
    /// the contact does not offer it) made again after a wait that doubles up to five minutes.
    /// A server's `retry-after` (RFC 6665 §4.1.3) makes the wait at least that long.
    func contactSubscriptionEnded(_ id: String, cause: String, retry: Bool = true, after retryAfter: Int? = nil) {
        guard let watch = contactWatch(of: id) else { return }
        if id == watch.presenceSubscriber {
            watch.presenceSubscriber = nil
            watch.presenceRefused = !retry
            watch.presence = nil
            watch.presenceProblem = "presence subscription ended: \(cause)"
        } else {
            watch.dialogSubscriber = nil
            watch.dialogRefused = !retry
            watch.lampKnown = false
            watch.lamp = BusyLamp()
            watch.dialogProblem = "dialog subscription ended: \(cause)"
        }
        emitContactState(watch)
        guard retry, started, watch.retry == nil else { return }
        let delay = max(watch.retryDelay, .seconds(retryAfter ?? 0))
        watch.retryDelay = min(watch.retryDelay * 2, ContactWatch.longestRetry)
        let uri = watch.contact.uri
        watch.retry = Task {
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self.retryContactWatch(uri)
        }
    }

    private func retryContactWatch(_ uri: String) async {
        contactWatches[uri]?.retry = nil
        await updateContactWatches()
    }

    private func emitContactState(_ watch: ContactWatch) {
        emit(
            .contactState(
                contact: watch.contact, presence: watch.presence, lamp: watch.lampKnown ? watch.lamp.state : nil,
                problem: watch.problem))
    }
}
