import SIPMessage
import SIPTransport

/// Registration state: JsSIP's Registrator. The Call-ID is fixed for the UA's life and CSeq
/// only grows.
struct RegistrationState: Sendable {
    let callID = RandomTokens.callID()
    var cseq: UInt32 = 0
    var registered = false
    var refresh: Task<Void, Never>?
    /// Seconds granted by the registrar at the last success, and when that was.
    var expires: Int?
    var registeredAt: ContinuousClock.Instant?
    var refreshAt: ContinuousClock.Instant?
    /// The register_expires to send; raised by a 423's Min-Expires.
    var requestedExpires: Int?
}

extension UserAgent {
    /// The binding sipterm asks for: Contact with +sip.instance, reg-id and expires, and
    /// `+sip.ice` (as JsSIP always sends it) when calls are offered with ICE, so a proxy bridging
    /// WebRTC and plain RTP knows which kind of endpoint this is.
    private func contactValue(on connection: Connection, expires: Int?) -> String {
        let offered = MediaSettings.offeredProfile(configuration.mediaProfile, on: connection.kind)
        let ice = offered == "webrtc" ? ";+sip.ice" : ""
        var value =
            "<\(factory.contact(on: connection))>\(ice);+sip.instance=\"<urn:uuid:\(configuration.instanceID)>\";reg-id=1"
        if let expires { value += ";expires=\(expires)" }
        return value
    }

    /// Registers (or refreshes the registration) now.
    public func register() async { await register(removing: nil) }

    /// A REGISTER; `stale` is a Contact to remove in the same request (expires=0), the one
    /// sipterm used before it learnt its public address.
    private func register(removing stale: SIPURI?) async {
        registration.refresh?.cancel()
        guard let connection = await transport.connection else {
            emit(.registrationFailed(cause: FailureCause.connectionError, statusCode: nil, reasonPhrase: nil))
            return
        }
        let configured = registration.requestedExpires ?? configuration.registerExpires
        let expires: Int? = configured > 0 ? configured : nil
        registration.cseq += 1
        var extra: [HeaderField] = [HeaderField(.init(.contact), contactValue(on: connection, expires: expires))]
        if let stale { extra.append(HeaderField(.init(.contact), "<\(stale)>;expires=0")) }
        if let expires { extra.append(HeaderField(.init(.expires), String(expires))) }
        let aor = NameAddress(uri: addressOfRecord)
        let parts = RequestFactory.Parts(
            method: .register, uri: configuration.registrarServer, to: aor,
            fromTag: RandomTokens.tag() + configuration.registerFromTagTrail, callID: registration.callID,
            cseq: registration.cseq, headers: extra)
        let outcome = await send(parts, onCSeq: { cseq in self.registration.cseq = cseq })
        if case .response(let response) = outcome, response.isSuccess, expires != nil,
            await movedBinding(response, on: connection)
        {
            return
        }
        await handleRegisterOutcome(outcome, requested: expires ?? 0)
    }

    /// Behind a NAT the registrar's Via tells sipterm its public address: the binding moves
    /// there at once (the private one is removed in the same REGISTER) and the next requests'
    /// Contact and plain-RTP SDP use it. True when a new REGISTER took over.
    private func movedBinding(_ response: SIPResponse, on connection: Connection) async -> Bool {
        guard configuration.contactURI == nil else { return false }
        let learned = PublicAddress(response: response, on: connection)
        guard learned != factory.publicAddress else { return false }
        let previous = factory.contact(on: connection)
        factory.publicAddress = learned
        await register(removing: previous)
        return true
    }

    var addressOfRecord: SIPURI {
        var aor = configuration.uri
        aor.parameters = []
        aor.headers = []
        aor.password = nil
        return aor
    }

    private func handleRegisterOutcome(_ outcome: ClientOutcome, requested: Int) async {
        switch outcome {
        case .timeout:
            registrationFailed(FailureCause.requestTimeout, nil)
            // On UDP a dead server shows only as silence: move to the socket's next server
            // (RFC 3263 §4.3), whose connection registers again.
            await transport.serverDidNotAnswer()
        case .transportError:
            registrationFailed(FailureCause.connectionError, nil)
        case .authenticationFailed(let response):
            registrationFailed(FailureCause.cause(for: 401), response)
        case .response(let response):
            if response.statusCode == 423,
                let minimum = try? response.headers.value(.minExpires, as: DeltaSeconds.self),
                Int(minimum.seconds) > requested
            {
                registration.requestedExpires = Int(minimum.seconds)
                await register()
                return
            }
            guard response.isSuccess else {
                registrationFailed(FailureCause.cause(for: response.statusCode), response)
                return
            }
            guard let binding = ourBinding(in: response) else {
                // JsSIP ignores such a 200 silently; sipterm says the registrar did not confirm it.
                registrationFailed(FailureCause.missingContact, response)
                return
            }
            let granted = Int(
                binding.expires ?? (try? response.expires) ?? UInt32(max(requested, configuration.registerExpires)))
            let expires = max(granted, 10)
            registration.expires = expires
            registration.registeredAt = .now
            scheduleRefresh(expires)
            if !registration.registered {
                registration.registered = true
                emit(
                    .registered(statusCode: response.statusCode, reasonPhrase: response.reasonPhrase, expires: expires))
                await updateSubscriptions()
            }
        }
    }

    /// Our Contact among those the registrar returned: by +sip.instance and reg-id, else by URI user.
    private func ourBinding(in response: SIPResponse) -> ContactValue? {
        guard let contacts = try? response.contacts else { return nil }
        let instance = "urn:uuid:\(configuration.instanceID)"
        return contacts.first { $0.instance?.lowercased() == instance.lowercased() && ($0.regID ?? 1) == 1 }
            ?? contacts.first { $0.address?.uri.sipURI?.user == factory.contactUser }
    }

    /// JsSIP's refresh time: E/2 + random·(E/2 − 32) s when E > 64, else E − 5.
    static func refreshDelay(expires: Int, fraction: Double) -> Double {
        expires > 64 ? Double(expires) / 2 + fraction * (Double(expires) / 2 - 32) : Double(expires - 5)
    }

    private func scheduleRefresh(_ expires: Int) {
        let delay = Self.refreshDelay(expires: expires, fraction: Double.random(in: 0..<1))
        registration.refreshAt = .now + .milliseconds(Int(delay * 1000))
        registration.refresh = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            guard !Task.isCancelled, let self else { return }
            await self.emit(.registrationExpiring)
            await self.register()
        }
    }

    private func registrationFailed(_ cause: String, _ response: SIPResponse?) {
        registration.refresh?.cancel()
        registration.registered = false
        emit(.registrationFailed(cause: cause, statusCode: response?.statusCode, reasonPhrase: response?.reasonPhrase))
    }

    /// Removes our binding, or every binding of the address of record (`Contact: *`).
    public func unregister(all: Bool) async {
        registration.refresh?.cancel()
        guard let connection = await transport.connection else { return }
        registration.cseq += 1
        let contact = all ? "*" : contactValue(on: connection, expires: 0)
        let parts = RequestFactory.Parts(
            method: .register, uri: configuration.registrarServer, to: NameAddress(uri: addressOfRecord),
            fromTag: RandomTokens.tag() + configuration.registerFromTagTrail, callID: registration.callID,
            cseq: registration.cseq,
            headers: [HeaderField(.init(.contact), contact), HeaderField(.init(.expires), "0")])
        let outcome = await send(parts, onCSeq: { cseq in self.registration.cseq = cseq })
        registration.registered = false
        registration.expires = nil
        switch outcome {
        case .response(let response):
            emit(
                .unregistered(
                    statusCode: response.statusCode, reasonPhrase: response.reasonPhrase,
                    cause: response.isSuccess ? nil : FailureCause.cause(for: response.statusCode)))
        case .authenticationFailed(let response):
            emit(
                .unregistered(
                    statusCode: response.statusCode, reasonPhrase: response.reasonPhrase,
                    cause: FailureCause.cause(for: 401)))
        case .timeout: emit(.unregistered(statusCode: nil, reasonPhrase: nil, cause: FailureCause.requestTimeout))
        case .transportError:
            emit(.unregistered(statusCode: nil, reasonPhrase: nil, cause: FailureCause.connectionError))
        }
    }
}
