import NIOCore
import SIPMedia
import SIPMessage

/// INVITE, ACK, CANCEL and BYE for the demo extensions.
extension DemoLine {
    /// How long `echo` rings before it answers: long enough to see the call ring.
    static let echoRingTime: Duration = .milliseconds(500)

    func invite(_ request: SIPRequest, from source: SocketAddress) async {
        guard let callID = try? request.callID else { return }
        if ((try? request.to)??.tag) != nil {
            await reinvite(request, callID: callID, from: source)
            return
        }
        let target = request.uri.sipURI?.user?.lowercased() ?? ""
        switch target {
        case "echo", "ring":
            respond(DemoResponses.make(to: request, 100, toTag: nil), to: request, at: source)
            let call = DemoCall(invite: request, source: source, toTag: Self.token(), state: .ringing)
            calls[callID] = call
            respond(
                DemoResponses.make(to: request, 180, toTag: call.toTag, headers: contact(target)), to: request,
                at: source)
            if target == "echo" {
                tasks.append(
                    Task { [weak self] in
                        try? await Task.sleep(for: Self.echoRingTime)
                        guard let self, !Task.isCancelled else { return }
                        let echo: DemoEcho
                        do {
                            echo = try await DemoEcho.open()
                        } catch {
                            await self.reject(callID, 500)
                            return
                        }
                        await self.answerEcho(callID, echo: echo)
                    })
            }
        case "busy":
            respond(DemoResponses.make(to: request, 486, toTag: Self.token()), to: request, at: source)
        default:
            respond(DemoResponses.make(to: request, 404, toTag: Self.token()), to: request, at: source)
        }
    }

    /// The Contact of the line's side of a dialog.
    func contact(_ user: String) -> [(KnownHeader, String)] {
        [(.contact, "<sip:\(user)@127.0.0.1:\(port)>"), (.allow, DemoResponses.allow)]
    }

    /// A final failure for a call still ringing (the echo socket could not open, the SDP was bad).
    func reject(_ callID: String, _ status: Int) {
        guard let call = calls[callID], case .ringing = call.state else { return }
        calls[callID] = nil
        respond(DemoResponses.make(to: call.invite, status, toTag: call.toTag), to: call.invite, at: call.source)
    }

    /// Answers the caller's offer with SIPMedia's offer/answer (PCMU, PCMA, telephone-event) at
    /// the echo socket; an INVITE without SDP gets an offer, answered in the ACK.
    func answerEcho(_ callID: String, echo: DemoEcho) async {
        guard var call = calls[callID], case .ringing = call.state else {
            await echo.close()
            return
        }
        guard let sdp = Self.sdp(answering: call.invite.bodyText, port: echo.port, previous: nil) else {
            await echo.close()
            reject(callID, 488)
            return
        }
        var response = DemoResponses.make(to: call.invite, 200, toTag: call.toTag, headers: contact("echo"))
        response.setBody(sdp.text, contentType: .sdp)
        call.echo = echo
        call.answer = sdp.text
        call.state = .answered
        call.answerBytes = response.serialized()
        calls[callID] = call
        respond(response, to: call.invite, at: call.source)
        tasks.append(
            Task { [weak self] in
                var interval = Duration.milliseconds(500)
                var waited = Duration.zero
                while waited < .seconds(32) {
                    try? await Task.sleep(for: interval)
                    waited += interval
                    guard let self, !Task.isCancelled, await self.retransmitAnswer(callID) else { return }
                    interval = min(interval * 2, .seconds(4))
                }
                await self?.abandon(callID)
            })
    }

    /// The SDP for an offer (or an offer of our own when there is none); nil when nothing is shared.
    static func sdp(answering offer: String, port: Int, previous: SessionDescription?) -> SessionDescription? {
        let offerAnswer = OfferAnswer(codecs: [.pcmu, .pcma, .telephoneEvent])
        guard !offer.isEmpty else { return offerAnswer.offer(address: "127.0.0.1", port: port, previous: previous) }
        guard let parsed = try? SessionDescription(parsing: offer),
            let (answer, _) = try? offerAnswer.answer(to: parsed, address: "127.0.0.1", port: port, previous: previous)
        else { return nil }
        return answer
    }

    /// Sends the 200 again while no ACK has come; false once it has (or the call is gone).
    func retransmitAnswer(_ callID: String) -> Bool {
        guard let call = calls[callID], case .answered = call.state else { return false }
        socket.send(call.answerBytes, to: call.source)
        return true
    }

    /// No ACK within 32 s: the caller is gone (RFC 3261 §13.3.1.4 would BYE; nobody would hear it).
    func abandon(_ callID: String) async {
        guard let call = calls[callID], case .answered = call.state else { return }
        calls[callID] = nil
        await call.echo?.close()
    }

    /// The ACK for a 2xx confirms the call; an ACK for a failure response is simply absorbed.
    func acknowledge(_ request: SIPRequest) {
        guard let callID = try? request.callID, var call = calls[callID], case .answered = call.state else { return }
        call.state = .confirmed
        calls[callID] = call
    }

    /// CANCEL of a call still ringing: 200 for the CANCEL, 487 for the INVITE (RFC 3261 §9.2).
    func cancel(_ request: SIPRequest, from source: SocketAddress) {
        let branch = (try? request.topVia)?.branch
        guard let callID = try? request.callID, let call = calls[callID], call.inviteBranch == branch else {
            respond(DemoResponses.make(to: request, 481, toTag: Self.token()), to: request, at: source)
            return
        }
        respond(DemoResponses.make(to: request, 200, toTag: call.toTag), to: request, at: source)
        guard case .ringing = call.state else { return }
        calls[callID] = nil
        respond(DemoResponses.make(to: call.invite, 487, toTag: call.toTag), to: call.invite, at: call.source)
    }

    func bye(_ request: SIPRequest, from source: SocketAddress) async {
        guard let callID = try? request.callID, let call = calls[callID], isSameDialog(request, call) else {
            respond(DemoResponses.make(to: request, 481, toTag: Self.token()), to: request, at: source)
            return
        }
        calls[callID] = nil
        respond(DemoResponses.make(to: request, 200, toTag: nil), to: request, at: source)
        await call.echo?.close()
    }

    /// UPDATE (a session refresh) and INFO (DTMF) inside a call are accepted and ignored.
    func inDialog(_ request: SIPRequest, from source: SocketAddress) {
        guard let callID = try? request.callID, let call = calls[callID], isSameDialog(request, call) else {
            respond(DemoResponses.make(to: request, 481, toTag: Self.token()), to: request, at: source)
            return
        }
        respond(DemoResponses.make(to: request, 200, toTag: nil, headers: contact("echo")), to: request, at: source)
    }

    /// A re-INVITE (hold, a refresh): the same echo socket, the session version one higher.
    private func reinvite(_ request: SIPRequest, callID: String, from source: SocketAddress) async {
        guard var call = calls[callID], isSameDialog(request, call), let echo = call.echo else {
            respond(DemoResponses.make(to: request, 481, toTag: Self.token()), to: request, at: source)
            return
        }
        let previous = call.answer.flatMap { try? SessionDescription(parsing: $0) }
        guard let sdp = Self.sdp(answering: request.bodyText, port: echo.port, previous: previous) else {
            respond(DemoResponses.make(to: request, 488, toTag: nil), to: request, at: source)
            return
        }
        var response = DemoResponses.make(to: request, 200, toTag: nil, headers: contact("echo"))
        response.setBody(sdp.text, contentType: .sdp)
        call.answer = sdp.text
        call.invite = request
        call.source = source
        call.answerBytes = response.serialized()
        call.state = .answered
        calls[callID] = call
        respond(response, to: request, at: source)
    }

    /// The request's tags are the call's: the caller's From tag and the line's To tag.
    private func isSameDialog(_ request: SIPRequest, _ call: DemoCall) -> Bool {
        let toTag = (try? request.to)??.tag
        let fromTag = (try? request.from)??.tag
        return toTag == call.toTag && fromTag == ((try? call.invite.from)??.tag)
    }
}
