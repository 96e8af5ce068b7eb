import SIPMessage
import SIPTransport

/// JsSIP's UA as an actor: it owns the transport, the transactions, the registration and the
/// credentials, answers what arrives, and reports everything as `UAEvent`s.
public actor UserAgent {
    public nonisolated let events: AsyncStream<UAEvent>
    let eventSink: AsyncStream<UAEvent>.Continuation
    public internal(set) var configuration: Configuration
    let transport: Transport
    let transactions: TransactionLayer
    var credentials: Credentials
    var factory: RequestFactory
    let trace: Bool
    var tasks: [Task<Void, Never>] = []
    var registration = RegistrationState()
    var started = false
    var calls: [String: CallSession] = [:]
    var subscribers: [String: Subscriber] = [:]
    var notifiers: [String: Notifier] = [:]
    /// Incoming SUBSCRIBEs reported by `newSubscribe`, waiting for `notify` or `rejectSubscribe`.
    var incomingSubscribes: [String: (request: SIPRequest, source: Destination?, deadline: Task<Void, Never>)] = [:]
    /// True when the app takes incoming SUBSCRIBEs (JsSIP: a `newSubscribe` listener exists);
    /// otherwise they are answered 405.
    public var handlesSubscriptions = false
    /// A NOTIFY round of the served state (`sipterm.serve_state`) is on its way.
    var phoneStatePending = false
    /// The subscription to the account's message-summary (`sipterm.mwi`).
    var voicemailSubscriber: String?
    /// The watched contacts (`sipterm.contacts`), by URI.
    var contactWatches: [String: ContactWatch] = [:]
    /// Our published presence (`sipterm.publish`).
    var publication: Publication?
    let mediaFactory: (any CallMediaFactory)?
    let sender: TransportSender

    /// `media` makes each call's media; without it sipterm signals only and refuses calls.
    public init(
        configuration: Configuration, trace: Bool = false, timers: TransactionTimers = TransactionTimers(),
        media: (any CallMediaFactory)? = nil
    ) {
        self.configuration = configuration
        self.mediaFactory = media
        self.trace = trace
        let (events, sink) = AsyncStream.makeStream(of: UAEvent.self)
        self.events = events
        self.eventSink = sink
        let transport = Transport(sockets: configuration.sockets, options: configuration.transportOptions)
        self.transport = transport
        let tracing = trace
        let sender = TransportSender(transport: transport) { bytes, connection in
            guard tracing else { return }
            sink.yield(
                .trace(
                    direction: .sent, transport: connection?.kind.viaTransport ?? "?",
                    remote: connection?.remote ?? "?",
                    text: TraceText.masked(bytes)))
        }
        self.sender = sender
        self.transactions = TransactionLayer(sender: sender, timers: timers)
        self.credentials = Credentials(
            username: configuration.authorizationUser ?? configuration.uri.user ?? "", password: configuration.password,
            realm: configuration.realm, ha1: configuration.ha1)
        self.factory = RequestFactory(
            configuration: configuration, randomWebSocketHost: Connection.randomWebSocketHost(),
            contactUser: RandomTokens.token(8))
    }

    /// Connects (and registers when `register` is true, after every connection).
    public func start() async {
        guard !started else { return }
        started = true
        let events = transport.events
        let inbound = transport.inbound
        tasks.append(Task { for await event in events { await self.handle(event) } })
        tasks.append(Task { for await item in inbound { await self.handle(item) } })
        await transport.start()
    }

    /// Un-registers (when registered) and disconnects. The event stream ends here: a UA is used
    /// once; a new start makes a new UA.
    public func stop() async {
        guard started else { return }
        await withdrawPresence()
        endSubscriptions()
        await endAllCalls()
        if registration.registered { await unregister(all: false) }
        registration.refresh?.cancel()
        await transport.stop()
        for task in tasks { task.cancel() }
        tasks = []
        started = false
        eventSink.finish()
    }

    public var isConnected: Bool { get async { await transport.isConnected } }

    func emit(_ event: UAEvent) {
        eventSink.yield(event)
        // One NOTIFY round for a burst of changes (each carries the full state); no task is kept.
        if event.changesPhoneState, !phoneStatePending,
            publication != nil || notifiers.values.contains(where: { $0.servedPackage != nil })
        {
            phoneStatePending = true
            Task { await self.notifyPhoneState() }
        }
    }

    private func handle(_ event: TransportEvent) async {
        switch event {
        case .connecting(let socket, let attempts): emit(.connecting(socket: socket.description, attempts: attempts))
        case .connected(let socket):
            emit(.connected(socket: socket.description))
            if configuration.register { await register() } else { await updateSubscriptions() }
        case .disconnected(let socket, let error, let code, let reason):
            emit(.disconnected(socket: socket.description, error: error, code: code, reason: reason))
            registration.refresh?.cancel()
            if registration.registered {
                registration.registered = false
                emit(.unregistered(statusCode: nil, reasonPhrase: nil, cause: FailureCause.connectionError))
            }
        case .recoveryScheduled: break
        }
    }

    /// Inbound messages are handled one at a time, in arrival order (an ACK or CANCEL never
    /// overtakes its INVITE). So a handler must never wait for the answer to a request it
    /// sends: that answer queues behind it. Such work is spawned.
    private func handle(_ item: Transport.Inbound) async {
        switch item {
        case .malformed(let bytes, let reason):
            if trace {
                emit(
                    .trace(
                        direction: .received, transport: "?", remote: "?",
                        text: "malformed (\(reason)): \(TraceText.masked(bytes))"))
            }
        case .message(let received):
            if trace {
                emit(
                    .trace(
                        direction: .received, transport: received.transport.viaTransport,
                        remote: "\(received.remoteHost):\(received.remotePort)", text: TraceText.masked(received.bytes))
                )
            }
            switch received.message {
            case .response(let response):
                if await !transactions.receive(response: response) { await receiveStray(response) }
            case .request(let request):
                // Over UDP a response goes back to the packet's source (RFC 3581 symmetric response).
                let source =
                    received.transport == .udp ? Destination(host: received.remoteHost, port: received.remotePort) : nil
                await receive(request, from: source)
            }
        }
    }

    /// Sends an out-of-dialog request built by `parts`, answering 401/407 challenges: every
    /// challenge once, once more on `stale=true`, never in a loop. A final 401/407, or a 403
    /// right after credentials were sent, is an authentication failure.
    func send(
        _ parts: RequestFactory.Parts, onProvisional: (@Sendable (SIPResponse) async -> Void)? = nil,
        onRequest: ((SIPRequest) -> Void)? = nil, onCSeq: ((UInt32) -> Void)? = nil
    ) async -> ClientOutcome {
        let (outcome, answered) = await sendAuthenticating(
            parts, onProvisional: onProvisional, onRequest: onRequest, onCSeq: onCSeq)
        if answered, let response = outcome.response, response.statusCode == 403 {
            return .authenticationFailed(response)
        }
        return outcome
    }

    private func sendAuthenticating(
        _ parts: RequestFactory.Parts, onProvisional: (@Sendable (SIPResponse) async -> Void)?,
        onRequest: ((SIPRequest) -> Void)?, onCSeq: ((UInt32) -> Void)?
    ) async -> (ClientOutcome, Bool) {
        guard let connection = await transport.connection else {
            return (.transportError(FailureCause.connectionError), false)
        }
        var parts = parts
        var request = factory.make(parts, on: connection)
        onRequest?(request)
        var outcome = await transactions.send(request, onProvisional: onProvisional)
        var answered = false
        var staleRetried = false
        var lastChallenges: [DigestChallenge] = []
        while let response = outcome.response, response.statusCode == 401 || response.statusCode == 407,
            credentials.canAuthenticate
        {
            let answers = credentials.answer(response, for: request)
            guard !answers.isEmpty else { break }
            if answered {
                guard !staleRetried, answers.contains(where: { $0.2.stale }) else { break }
                staleRetried = true
            }
            answered = true
            lastChallenges = answers.map(\.2)
            parts.cseq += 1
            onCSeq?(parts.cseq)
            request = factory.make(parts, on: connection, credentials: answers.map { ($0.0, $0.1) })
            onRequest?(request)
            outcome = await transactions.send(request, onProvisional: onProvisional)
        }
        if answered, let response = outcome.response, response.isSuccess {
            for challenge in lastChallenges { credentials.remember(challenge) }
            // As JsSIP does, the realm that worked joins the configuration (what `store_ha1`
            // needs to save ha1 + realm), and with `store_ha1` the password leaves memory for
            // its ha1, as JsSIP's ua.set('ha1') does; without it the password stays to be saved.
            var learned: [String: ConfigValue] = [:]
            if let realm = credentials.realm, lastChallenges.allSatisfy({ $0.realm == realm }) {
                if configuration.realm == nil { learned["realm"] = .string(realm) }
                if configuration.storeHA1, configuration.password != nil, credentials.password == nil,
                    let ha1 = credentials.ha1
                {
                    learned["realm"] = .string(realm)
                    learned["ha1"] = .string(ha1)
                }
            }
            if !learned.isEmpty, let next = try? configuration.proposing(learned).apply() {
                configuration = next
                factory.configuration = next
            }
        }
        return (outcome, answered)
    }
}
