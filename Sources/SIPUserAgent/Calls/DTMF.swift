import SIPMessage

/// `sendDTMF` options, with JsSIP's names and limits.
public struct DTMFOptions: Sendable {
    public var duration: Int?
    public var interToneGap: Int?
    public var transportType: DTMFTransport?

    public init(duration: Int? = nil, interToneGap: Int? = nil, transportType: DTMFTransport? = nil) {
        self.duration = duration
        self.interToneGap = interToneGap
        self.transportType = transportType
    }
}

extension UserAgent {
    static let dtmfTones = Set("0123456789ABCDR#*,")

    /// Queues tones (`0-9 A-D * # R`, `,` = a 2 s pause): duration 70–6000 ms (default 100),
    /// gap at least 50 ms (default 500). INFO sends one application/dtmf-relay INFO per tone;
    /// RFC2833 asks the media for telephone-events. A failing INFO drops the rest of the queue.
    public func sendDTMF(_ id: String, tones: String, options: DTMFOptions = DTMFOptions()) async throws(RequestFailure)
    {
        guard let session = calls[id], [.confirmed, .waitingForAck, .provisionalReceived].contains(session.state) else {
            throw RequestFailure.invalidState(id)
        }
        let upper = tones.uppercased()
        guard !upper.isEmpty, upper.allSatisfy({ Self.dtmfTones.contains($0) }) else {
            throw RequestFailure(cause: "Invalid tones '\(tones)': use 0-9 A-D * # R and ,", statusCode: nil)
        }
        let duration = min(max(options.duration ?? 100, 70), 6000)
        let gap = max(options.interToneGap ?? 500, 50)
        let transport = options.transportType ?? configuration.dtmfTransport
        if transport == .info && session.dialog == nil {
            throw RequestFailure(cause: "Invalid State: DTMF by INFO needs a dialog", statusCode: nil)
        }
        session.dtmfQueue += upper.map { DTMFJob(tone: $0, duration: duration, gap: gap, transport: transport) }
        guard !session.dtmfRunning else { return }
        session.dtmfRunning = true
        Task { await self.runDTMF(id) }
    }

    private func runDTMF(_ id: String) async {
        while let session = calls[id], !session.state.isEnded, !session.dtmfQueue.isEmpty {
            let job = session.dtmfQueue.removeFirst()
            if job.tone == "," {
                try? await Task.sleep(for: .seconds(2))
                continue
            }
            var sent = true
            switch job.transport {
            case .info:
                let outcome = await sendInDialog(
                    session, method: .info, contentType: "application/dtmf-relay",
                    body: Array("Signal=\(job.tone)\r\nDuration=\(job.duration)".utf8))
                sent = outcome.response?.isSuccess ?? false
            case .rfc2833:
                do {
                    try await session.media?.sendTone(job.tone, duration: job.duration)
                } catch {
                    sent = false
                }
            }
            guard sent else {
                session.dtmfQueue = []
                break
            }
            emit(.newDTMF(session: id, originator: .local, tone: String(job.tone), duration: job.duration))
            // RFC 4733 tones take their duration inside sendTone; INFO tones are spaced here.
            let wait = job.transport == .info ? job.duration + job.gap : job.gap
            try? await Task.sleep(for: .milliseconds(wait))
        }
        calls[id]?.dtmfRunning = false
    }

    /// Sends an INFO in the call (JsSIP's sendInfo) and reports it as newInfo.
    public func sendInfo(_ id: String, contentType: String, body: String) async throws(RequestFailure) {
        guard let session = calls[id], session.state == .confirmed || session.state == .waitingForAck else {
            throw RequestFailure.invalidState(id)
        }
        let outcome = await sendInDialog(session, method: .info, contentType: contentType, body: Array(body.utf8))
        guard let response = outcome.response, response.isSuccess else {
            throw RequestFailure(
                cause: outcome.response.map { FailureCause.cause(for: $0.statusCode) } ?? FailureCause.requestTimeout,
                statusCode: outcome.response?.statusCode)
        }
        emit(.newInfo(session: id, originator: .local, contentType: contentType, body: body))
    }
}
