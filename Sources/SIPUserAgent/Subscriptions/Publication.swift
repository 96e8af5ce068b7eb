import SIPMessage

/// Our presence at the server (RFC 3903): the entity tag of the last PUBLISH it accepted, how
/// long that holds, and the body it carried.
final class Publication {
    var etag: String?
    var expires = UserAgent.publishExpires
    var body: String?
    var refresh: Task<Void, Never>?
    /// A PUBLISH is on its way; `again` asks for one more once it is answered.
    var inFlight = false
    var again = false
    let callID = RandomTokens.callID()
    let fromTag = RandomTokens.tag()
    var cseq = UInt32.random(in: 1...9999)
}

/// `sipterm.publish`: the phone's presence PUBLISHed to its address of record, as the served
/// state is (PIDF, `presenceDocument`). The first PUBLISH carries the document; a refresh
/// before it expires carries only SIP-If-Match; a change sends the new document with
/// SIP-If-Match; stop withdraws it (Expires: 0). A 412 (the server forgot us) publishes afresh,
/// a 423 takes the Min-Expires.
extension UserAgent {
    static let publishExpires = 3600

    /// Publishes when on and the document changed; withdraws when turned off.
    func publishPresence() async {
        guard configuration.publishesPresence else {
            await withdrawPresence()
            return
        }
        let publication = self.publication ?? Publication()
        self.publication = publication
        guard !publication.inFlight else {
            publication.again = true
            return
        }
        let body = presenceDocument()
        guard body != publication.body || publication.etag == nil else { return }
        await sendPublish(publication, body: body)
    }

    /// Expires: 0 for what the server holds; nothing when it holds nothing.
    func withdrawPresence() async {
        guard let publication else { return }
        self.publication = nil
        publication.refresh?.cancel()
        guard let etag = publication.etag else { return }
        let outcome = await send(publishParts(publication, expires: 0, etag: etag, body: nil))
        if let response = outcome.response, response.isSuccess {
            emit(.presencePublished(statusCode: response.statusCode, expires: 0))
        }
    }

    private func sendPublish(_ publication: Publication, body: String?) async {
        publication.inFlight = true
        var retried = false
        var outcome = await send(
            publishParts(publication, expires: publication.expires, etag: publication.etag, body: body))
        while let response = outcome.response, !retried, response.statusCode == 412 || response.statusCode == 423 {
            retried = true
            if response.statusCode == 412 { publication.etag = nil }
            if response.statusCode == 423,
                let minimum = try? response.headers.value(.minExpires, as: DeltaSeconds.self)
            {
                publication.expires = max(publication.expires, Int(minimum.seconds))
            }
            outcome = await send(
                publishParts(
                    publication, expires: publication.expires, etag: publication.etag,
                    body: body ?? (publication.etag == nil ? presenceDocument() : nil)))
        }
        publication.inFlight = false
        guard self.publication === publication else { return }
        switch outcome {
        case .response(let response) where response.isSuccess:
            if let etag = response.headers[HeaderName("SIP-ETag")] { publication.etag = String(etag) }
            let granted = ((try? response.expires) ?? nil).map(Int.init) ?? publication.expires
            if let body { publication.body = body }
            scheduleRepublish(publication, after: granted)
            emit(.presencePublished(statusCode: response.statusCode, expires: granted))
        case .response(let response):
            emit(
                .presencePublishFailed(
                    cause: FailureCause.cause(for: response.statusCode), statusCode: response.statusCode))
        case .authenticationFailed(let response):
            emit(.presencePublishFailed(cause: FailureCause.cause(for: 401), statusCode: response.statusCode))
        case .timeout:
            emit(.presencePublishFailed(cause: FailureCause.requestTimeout, statusCode: 408))
        case .transportError:
            emit(.presencePublishFailed(cause: FailureCause.connectionError, statusCode: nil))
        }
        if publication.again {
            publication.again = false
            await publishPresence()
        }
    }

    /// A refresh (SIP-If-Match, no body) before the publication expires, as for a subscription.
    private func scheduleRepublish(_ publication: Publication, after seconds: Int) {
        publication.refresh?.cancel()
        publication.refresh = Task {
            try? await Task.sleep(for: Subscriber.refreshDelay(expires: max(seconds, 1)))
            guard !Task.isCancelled else { return }
            await self.refreshPublication()
        }
    }

    private func refreshPublication() async {
        guard let publication, !publication.inFlight, publication.etag != nil else { return }
        await sendPublish(publication, body: nil)
    }

    private func publishParts(
        _ publication: Publication, expires: Int, etag: String?, body: String?
    )
        -> RequestFactory.Parts
    {
        publication.cseq += 1
        var headers = [
            HeaderField(.init(.event), "presence"), HeaderField(.init(.expires), String(expires)),
        ]
        if let etag { headers.append(HeaderField(HeaderName("SIP-If-Match"), etag)) }
        let uri = addressOfRecord
        return RequestFactory.Parts(
            method: .publish, uri: uri, to: NameAddress(uri: uri), fromTag: publication.fromTag,
            callID: publication.callID, cseq: publication.cseq, headers: headers,
            contentType: body == nil ? nil : Self.pidfType, body: Array((body ?? "").utf8))
    }

    /// Everything watched and published, brought in line with the configuration.
    func updateSubscriptions() async {
        await updateVoicemailSubscription()
        await updateContactWatches()
        await publishPresence()
    }
}
