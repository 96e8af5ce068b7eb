import SIPMessage

/// Message waiting indication (RFC 3842): the account's own message-summary subscription, and
/// the summaries NOTIFYs carry, subscribed or unsolicited.
extension UserAgent {
    static let messageSummaryType = "application/simple-message-summary"

    /// Subscribes when `sipterm.mwi` is on and no subscription runs; un-subscribes when it is off.
    func updateVoicemailSubscription() async {
        let running = voicemailSubscriber.flatMap { subscribers[$0] }
        if !configuration.mwi {
            if let running { try? await unsubscribe(running.id) }
            voicemailSubscriber = nil
            return
        }
        guard running == nil else { return }
        voicemailSubscriber = try? await subscribe(
            target: addressOfRecord.description, eventName: "message-summary", accept: Self.messageSummaryType,
            options: SubscribeOptions(expires: 3600))
    }

    /// Reports the summary of a message-summary NOTIFY with a body.
    func reportMessageSummary(_ request: SIPRequest) {
        guard (try? request.headers.value(.event, as: EventValue.self))??.package == "message-summary",
            !request.body.isEmpty
        else { return }
        let from = (try? request.from)?.map { $0.uri.description } ?? ""
        do {
            emit(.messageSummary(summary: try MessageSummary(parsing: request.bodyText), error: nil, from: from))
        } catch {
            emit(.messageSummary(summary: nil, error: "unreadable voicemail summary: \(error.reason)", from: from))
        }
    }
}
