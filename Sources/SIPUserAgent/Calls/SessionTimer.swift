import SIPMessage

/// RFC 4028 state of one call, with JsSIP's rules: 90 s by default, nothing under 60 s.
struct SessionTimerState {
    static let defaultInterval = 90
    static let minimum = 60

    var enabled = true
    var interval = defaultInterval
    /// The Min-SE sipterm sends; a 422's Min-SE raises it (once).
    var minSE = defaultInterval
    var active = false
    var weRefresh = false

    /// JsSIP: an explicit interval counts only if it is an integer of at least 60.
    static func interval(requested: Int?) -> Int {
        guard let requested, requested >= minimum else { return defaultInterval }
        return requested
    }

    mutating func configure(enabled: Bool, requested: Int?) {
        self.enabled = enabled
        interval = Self.interval(requested: requested)
        minSE = min(interval, Self.defaultInterval)
    }
}

extension UserAgent {
    /// Session-Expires and Min-SE for a request of ours (initial INVITE or a refresh).
    func sessionTimerRequestHeaders(_ session: CallSession, initial: Bool) -> [HeaderField] {
        guard session.sessionTimer.enabled else { return [] }
        var value = "\(session.sessionTimer.interval)"
        if initial {
            if configuration.sessionTimersForceRefresher { value += ";refresher=uac" }
        } else if session.sessionTimer.active {
            // A refresh names who refreshes next: us (the request's sender) or the peer.
            value += session.sessionTimer.weRefresh ? ";refresher=uac" : ";refresher=uas"
        }
        return [
            HeaderField(.init(.sessionExpires), value), HeaderField(.init(.minSE), "\(session.sessionTimer.minSE)"),
        ]
    }

    /// After a 2xx to our INVITE or UPDATE: the peer's interval and refresher, else ours with us refreshing.
    func applySessionTimer(_ session: CallSession, response: SIPResponse) {
        guard session.sessionTimer.enabled else { return }
        if let header = try? response.headers.value(.sessionExpires, as: SessionInterval.self),
            Int(header.seconds) >= SessionTimerState.minimum
        {
            session.sessionTimer.interval = Int(header.seconds)
            session.sessionTimer.weRefresh = (header.refresher ?? .uac) == .uac
        } else {
            session.sessionTimer.weRefresh = true
        }
        armSessionTimer(session)
    }

    /// For a peer's INVITE or UPDATE we answer 2xx: the interval and refresher it asked for (else
    /// ours, the peer refreshing... as JsSIP: `uas` refreshes), and the headers the 2xx carries.
    func answerSessionTimer(_ session: CallSession, request: SIPRequest) -> [HeaderField] {
        guard session.sessionTimer.enabled else { return [] }
        let refresher: SessionInterval.Refresher
        if let header = try? request.headers.value(.sessionExpires, as: SessionInterval.self),
            Int(header.seconds) >= SessionTimerState.minimum
        {
            session.sessionTimer.interval = Int(header.seconds)
            refresher = header.refresher ?? .uas
        } else {
            refresher = .uas
        }
        session.sessionTimer.weRefresh = refresher == .uas
        armSessionTimer(session)
        var fields = [HeaderField(.init(.sessionExpires), "\(session.sessionTimer.interval);refresher=\(refresher)")]
        let supported = (try? request.headers.values(.supported, as: OptionTag.self)) ?? []
        if supported.contains(where: { $0.value.lowercased() == "timer" }) {
            fields.append(HeaderField(.init(.require), "timer"))
        }
        return fields
    }

    /// The refresher refreshes at half the interval; the other side gives up at 1.1 × (JsSIP).
    func armSessionTimer(_ session: CallSession) {
        session.sessionTimer.active = true
        let id = session.id
        let interval = session.sessionTimer.interval
        if session.sessionTimer.weRefresh {
            schedule(session, "sessionTimer", after: .milliseconds(interval * 500)) { ua in
                await ua.refreshSession(id)
            }
        } else {
            schedule(session, "sessionTimer", after: .milliseconds(interval * 1100)) { ua in
                await ua.sessionTimerExpired(id)
            }
        }
    }

    func refreshSession(_ id: String) async {
        guard let session = calls[id], session.state == .confirmed || session.state == .waitingForAck else { return }
        guard !session.reofferPending && !session.incomingReofferPending else {
            // Busy with another offer: try again shortly rather than let the session lapse.
            schedule(session, "sessionTimer", after: .seconds(2)) { ua in await ua.refreshSession(id) }
            return
        }
        let useUpdate = configuration.sessionTimersRefreshMethod == .update && session.peerAllowsUpdate
        await renegotiate(session, method: useUpdate ? .update : .invite, withOffer: !useUpdate)
    }

    func sessionTimerExpired(_ id: String) async {
        guard let session = calls[id], session.state.isEstablished else { return }
        await sendBye(session, reason: ReasonValue(protocol: "SIP", cause: 408, text: "Session Timer Expired"))
        finish(session, .ended(session: id, originator: .system, cause: FailureCause.requestTimeout, statusCode: 408))
    }

    /// Runs `action` after `delay` unless the call's timer of that name is replaced or cancelled.
    func schedule(
        _ session: CallSession, _ name: String, after delay: Duration,
        _ action: @escaping @Sendable (UserAgent) async -> Void
    ) {
        session.timers[name]?.cancel()
        session.timers[name] = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled, let self else { return }
            // The action runs in its own task: replacing this timer from inside it must not cancel it.
            Task { await action(self) }
        }
    }
}
