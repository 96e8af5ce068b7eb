import SIPMessage

extension UserAgent {
    /// Ends a call in whatever state it is (JsSIP's terminate): CANCEL before the answer (once a
    /// provisional has come), a rejection (default 480) for a call ringing here, BYE after.
    /// `statusCode` goes in a Reason header on CANCEL and BYE.
    public func terminate(
        _ id: String, statusCode: Int? = nil, reasonPhrase: String? = nil
    ) async throws(RequestFailure) {
        guard let session = calls[id], !session.state.isEnded else { throw RequestFailure.invalidState(id) }
        let reason = statusCode.map {
            ReasonValue(protocol: "SIP", cause: $0, text: reasonPhrase ?? ReasonPhrase.standard[$0])
        }
        switch session.state {
        case .null, .inviteSent, .provisionalReceived:
            if let statusCode, !(200...699).contains(statusCode) {
                throw RequestFailure.badStatus(statusCode, "200–699")
            }
            session.cancelPending = .some(reason)
            if session.state == .provisionalReceived { await sendCancel(session, reason: reason) }
            // The call stays known until its INVITE transaction ends, for the 487 or a late 2xx.
            session.state = .canceled
            session.cancelAllTimers()
            emit(
                .failed(
                    session: id, originator: .local, cause: FailureCause.canceled, statusCode: nil, reasonPhrase: nil))
        case .inviteReceived, .waitingForAnswer, .answered:
            let status = statusCode ?? 480
            guard (300...699).contains(status) else { throw RequestFailure.badStatus(status, "300–699") }
            await respondToInvite(session, status, reason: reasonPhrase)
            finish(
                session,
                .failed(
                    session: id, originator: .local, cause: FailureCause.rejected, statusCode: status,
                    reasonPhrase: reasonPhrase ?? ReasonPhrase.standard[status]))
        case .waitingForAck:
            // RFC 3261 §15: the BYE waits for the ACK (or Timer H).
            session.byeAfterAck = .some(reason)
            session.state = .terminated
            if let media = session.media { await media.close() }
            emit(.ended(session: id, originator: .local, cause: FailureCause.terminated, statusCode: statusCode))
        case .confirmed:
            await sendBye(session, reason: reason)
            finish(
                session, .ended(session: id, originator: .local, cause: FailureCause.terminated, statusCode: statusCode)
            )
        case .canceled, .terminated:
            throw RequestFailure.invalidState(id)
        }
    }
}

extension UserAgent.RequestFailure {
    static func badStatus(_ code: Int, _ range: String) -> Self {
        Self(cause: "Invalid status_code \(code): must be \(range)", statusCode: nil)
    }
}
