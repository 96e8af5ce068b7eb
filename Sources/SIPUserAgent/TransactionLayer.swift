import SIPMessage

/// RFC 3261 §17: client and server transactions, INVITE and non-INVITE. Timers A/E (resend),
/// B/F (give up), D/K (absorb retransmitted responses), G (resend a final response), H (give up
/// waiting for ACK), I/J (absorb retransmitted requests) run only where the transport needs
/// them: on a reliable transport nothing is resent and the absorb timers are zero.
public actor TransactionLayer {
    let sender: any MessageSender
    public var timers: TransactionTimers

    struct ClientKey: Hashable {
        var branch: String
        var method: String
    }

    final class Client {
        let id: Int
        let request: SIPRequest
        let bytes: [UInt8]
        let onProvisional: (@Sendable (SIPResponse) async -> Void)?
        var continuation: CheckedContinuation<ClientOutcome, Never>?
        var finalReceived = false
        var proceeding = false
        var timerTasks: [Task<Void, Never>] = []
        /// For INVITE: the ACK sent for a non-2xx final response, resent on a retransmission.
        var ack: [UInt8]?

        init(id: Int, request: SIPRequest, bytes: [UInt8], onProvisional: (@Sendable (SIPResponse) async -> Void)?) {
            self.id = id
            self.request = request
            self.bytes = bytes
            self.onProvisional = onProvisional
        }
    }

    struct ServerKey: Hashable {
        var branch: String
        var sentBy: String
        var method: String
    }

    final class Server {
        let id: Int
        let method: SIPMethod
        /// Kept only for a pending INVITE (a CANCEL is matched to it); dropped once answered.
        var request: SIPRequest?
        /// Where the request came from, where every response goes.
        var source: Destination?
        var lastResponse: [UInt8]?
        var isFinal = false
        var confirmed = false
        var mergeKey: MergeKey?
        var resendTask: Task<Void, Never>?
        init(id: Int, request: SIPRequest) {
            self.id = id
            self.method = request.method
            self.request = request.method == .invite ? request : nil
        }
    }

    /// From tag, Call-ID and CSeq: what a merged request shares with the first copy.
    struct MergeKey: Hashable {
        var fromTag: String
        var callID: String
        var cseq: UInt32
        var method: String
    }

    var clients: [ClientKey: Client] = [:]
    /// Identifies transaction objects across timer tasks, which must not capture them.
    private var nextID = 0
    var servers: [ServerKey: Server] = [:]
    var mergeIndex: [MergeKey: ServerKey] = [:]
    /// Server transactions waiting for Timer H, I or J, per delay; each queue is in deadline order.
    var expiries: [Duration: ExpiryQueue] = [:]
    var sweeper: Task<Void, Never>?

    public init(sender: any MessageSender, timers: TransactionTimers = TransactionTimers()) {
        self.sender = sender
        self.timers = timers
    }

    public var activeClientCount: Int { clients.count }
    public var activeServerCount: Int { servers.count }

    // MARK: Client transactions

    /// Sends a request in a new client transaction and returns its final response, or why there
    /// is none. Provisional responses go to `onProvisional`. For INVITE, a non-2xx final response
    /// is ACKed here; a 2xx is the dialog's to ACK.
    public func send(
        _ request: SIPRequest, onProvisional: (@Sendable (SIPResponse) async -> Void)? = nil
    ) async -> ClientOutcome {
        guard let branch = try? request.topVia?.branch else { return .transportError("request has no Via branch") }
        let key = ClientKey(branch: branch, method: request.method.name)
        nextID += 1
        let client = Client(id: nextID, request: request, bytes: request.serialized(), onProvisional: onProvisional)
        clients[key] = client
        return await withCheckedContinuation { continuation in
            client.continuation = continuation
            Task { await self.start(key) }
        }
    }

    private func start(_ key: ClientKey) async {
        guard let client = clients[key] else { return }
        do {
            try await sender.send(client.bytes, to: nil)
        } catch {
            finish(key, client, .transportError("\(error)"))
            return
        }
        let reliable = await sender.isReliable()
        if !reliable {
            schedule(client, after: timers.t1) { layer in await layer.retransmit(key, interval: layer.timers.t1) }
        }
        schedule(client, after: timers.transactionTimeout) { layer in await layer.timeout(key) }
    }

    private func schedule(
        _ client: Client, after delay: Duration, _ action: @escaping @Sendable (TransactionLayer) async -> Void
    ) {
        client.timerTasks.append(
            Task { [weak self] in
                try? await Task.sleep(for: delay)
                guard !Task.isCancelled, let self else { return }
                await action(self)
            })
    }

    private func retransmit(_ key: ClientKey, interval: Duration) async {
        guard let client = clients[key], !client.finalReceived else { return }
        // Timer A doubles without bound for INVITE until a provisional arrives; Timer E doubles up
        // to T2, and stays at T2 once a provisional has arrived (RFC 3261 §17.1.2.2).
        let isInvite = client.request.method == .invite
        if isInvite && client.proceeding { return }
        try? await sender.send(client.bytes, to: nil)
        let next: Duration = isInvite ? interval * 2 : (client.proceeding ? timers.t2 : min(interval * 2, timers.t2))
        schedule(client, after: next) { layer in await layer.retransmit(key, interval: next) }
    }

    private func timeout(_ key: ClientKey) {
        guard let client = clients[key], !client.finalReceived else { return }
        finish(key, client, .timeout)
    }

    private func finish(_ key: ClientKey, _ client: Client, _ outcome: ClientOutcome) {
        client.finalReceived = true
        for task in client.timerTasks { task.cancel() }
        client.timerTasks = []
        client.continuation?.resume(returning: outcome)
        client.continuation = nil
        if case .response = outcome {
            // Timers D and K: stay to absorb retransmitted final responses (32 s / T4 on UDP).
            let id = client.id
            let invite = client.request.method == .invite
            Task { [weak self] in
                guard let self else { return }
                let linger = await self.lingerDuration(invite: invite)
                if linger > .zero { try? await Task.sleep(for: linger) }
                await self.removeClient(key, id: id)
            }
        } else {
            clients[key] = nil
        }
    }

    private func lingerDuration(invite: Bool) async -> Duration {
        await sender.isReliable() ? .zero : (invite ? .seconds(32) : timers.t4)
    }

    private func removeClient(_ key: ClientKey, id: Int) {
        if clients[key]?.id == id { clients[key] = nil }
    }

    /// Hands a response to its client transaction. Returns false when none matches (a stray or
    /// a 2xx retransmission after the INVITE transaction ended, which the dialog layer handles).
    @discardableResult
    public func receive(response: SIPResponse) async -> Bool {
        guard let branch = try? response.topVia?.branch, let method = try? response.cseq?.method else {
            return false
        }
        let key = ClientKey(branch: branch, method: method.name)
        guard let client = clients[key] else { return false }
        if client.finalReceived {
            // A 2xx to an INVITE after the first is the dialog's (a retransmission or another fork).
            if client.request.method == .invite && response.isSuccess { return false }
            // A retransmitted final response: resend the ACK of a non-2xx INVITE answer.
            if let ack = client.ack { try? await sender.send(ack, to: nil) }
            return true
        }
        if response.statusCode < 200 {
            client.proceeding = true
            await client.onProvisional?(response)
            return true
        }
        if client.request.method == .invite && !response.isSuccess {
            let ack = Self.ack(for: client.request, response: response).serialized()
            client.ack = ack
            try? await sender.send(ack, to: nil)
        }
        finish(key, client, .response(response))
        return true
    }

    /// The ACK for a non-2xx final response to an INVITE (RFC 3261 §17.1.1.3): same Request-URI,
    /// top Via, From, Call-ID and Route; To with the response's tag; CSeq number with ACK.
    static func ack(for invite: SIPRequest, response: SIPResponse) -> SIPRequest {
        var ack = SIPRequest(method: .ack, uri: invite.uri)
        for field in invite.headers {
            switch field.name.known {
            case .via:
                if !ack.headers.contains(.init(.via)) { ack.headers.append(.init(.via), String(field.value)) }
            case .from, .callID, .route, .maxForwards: ack.headers.append(field)
            default: break
            }
        }
        ack.headers.append(.init(.to), String(response.headers[.init(.to)] ?? invite.headers[.init(.to)] ?? ""))
        let number = (try? invite.cseq)?.map(\.number) ?? 1
        ack.headers.append(.init(.cseq), "\(number) ACK")
        ack.setBody([])
        return ack
    }

    // MARK: Server transactions

    /// What to do with an incoming request.
    public enum RequestDisposition: Sendable, Equatable {
        /// A new request for the UA to handle (and answer through `respond`).
        case new
        /// A retransmission, already dealt with here.
        case retransmission
        /// An ACK that completed a server INVITE transaction (non-2xx answer).
        case absorbedACK
        /// An ACK for a 2xx, or a CANCEL: the dialog layer's.
        case forDialog
        /// The same request arrived by another path (RFC 3261 §8.2.2.2): answer 482.
        case merged
    }

    static func serverKey(_ request: SIPRequest) -> ServerKey? {
        guard let via = try? request.topVia, let branch = via.branch else { return nil }
        let method = request.method == .ack ? SIPMethod.invite.name : request.method.name
        return ServerKey(branch: branch, sentBy: via.host.description + ":" + String(via.port ?? 0), method: method)
    }

    public func receive(request: SIPRequest, from source: Destination? = nil) async -> RequestDisposition {
        guard let key = Self.serverKey(request) else { return request.method == .ack ? .forDialog : .new }
        if let server = servers[key] {
            if request.method == .ack {
                guard server.method == .invite, server.isFinal, !server.confirmed else { return .forDialog }
                // ACK to a non-2xx answer: Confirmed; Timer I absorbs further ACKs.
                server.confirmed = true
                server.resendTask?.cancel()
                expire(key, server, after: await sender.isReliable() ? .zero : timers.t4)
                return .absorbedACK
            }
            if let last = server.lastResponse { try? await sender.send(last, to: server.source) }
            return .retransmission
        }
        if request.method == .ack { return .forDialog }
        nextID += 1
        let server = Server(id: nextID, request: request)
        server.source = source
        if let mergeKey = Self.mergeKey(request) {
            if let first = mergeIndex[mergeKey], first.branch != key.branch, servers[first] != nil {
                server.mergeKey = nil
                servers[key] = server
                return .merged
            }
            server.mergeKey = mergeKey
            mergeIndex[mergeKey] = key
        }
        servers[key] = server
        return .new
    }

    static func mergeKey(_ request: SIPRequest) -> MergeKey? {
        guard (try? request.to?.tag) == nil, let fromTag = try? request.from?.tag, let callID = try? request.callID,
            let cseq = try? request.cseq
        else { return nil }
        return MergeKey(fromTag: fromTag, callID: callID, cseq: cseq.number, method: cseq.method.name)
    }

    /// Sends a response in the request's server transaction, with the timers §17.2 asks for.
    public func respond(to request: SIPRequest, with response: SIPResponse, source: Destination? = nil) async {
        let bytes = response.serialized()
        let key = Self.serverKey(request)
        let server = key.flatMap { servers[$0] }
        try? await sender.send(bytes, to: server?.source ?? source)
        guard let key, let server else { return }
        server.lastResponse = bytes
        guard response.statusCode >= 200 else { return }
        server.isFinal = true
        server.request = nil
        let reliable = await sender.isReliable()
        if request.method == .invite {
            if response.isSuccess {
                // The 2xx is retransmitted by the dialog until its ACK (RFC 3261 §13.3.1.4).
                remove(key, id: server.id)
                return
            }
            if !reliable { scheduleResend(key, server, interval: timers.t1) }
            // Timer H: stop waiting for the ACK.
            expire(key, server, after: timers.transactionTimeout)
        } else {
            // Timer J: absorb retransmitted requests (64·T1 on UDP).
            expire(key, server, after: reliable ? .zero : timers.transactionTimeout)
        }
    }

    private func scheduleResend(_ key: ServerKey, _ server: Server, interval: Duration) {
        let id = server.id
        server.resendTask = Task { [weak self] in
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled, let self else { return }
            await self.resendFinal(key, id: id, interval: interval)
        }
    }

    private func resendFinal(_ key: ServerKey, id: Int, interval: Duration) async {
        guard let server = servers[key], server.id == id, !server.confirmed, let last = server.lastResponse else {
            return
        }
        try? await sender.send(last, to: server.source)
        scheduleResend(key, server, interval: min(interval * 2, timers.t2))
    }

    /// Queues the end of a server transaction. One sweeper task serves every queue, and only
    /// while something waits: thousands of absorbing transactions cost no task each.
    private func expire(_ key: ServerKey, _ server: Server, after delay: Duration) {
        guard delay > .zero else {
            remove(key, id: server.id)
            return
        }
        expiries[delay, default: ExpiryQueue()].append(deadline: .now + delay, key: key, id: server.id)
        guard sweeper == nil else { return }
        sweeper = Task { [weak self] in
            while let self, let next = await self.sweep() {
                try? await Task.sleep(until: next, clock: .continuous)
            }
        }
    }

    /// Ends every transaction whose time has come; returns the next deadline, or nil when idle.
    private func sweep() -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        var next: ContinuousClock.Instant?
        for delay in Array(expiries.keys) {
            guard var queue = expiries[delay] else { continue }
            while let head = queue.head, head.deadline <= now {
                queue.removeHead()
                remove(head.key, id: head.id)
                sweptSinceIdle += 1
            }
            if let head = queue.head {
                expiries[delay] = queue
                next = min(next ?? head.deadline, head.deadline)
            } else {
                expiries[delay] = nil
            }
        }
        if next == nil {
            sweeper = nil
            if sweptSinceIdle >= Self.burst { releaseBurstMemory() }
            sweptSinceIdle = 0
        }
        return next
    }

    /// Absorbing transactions ended since the sweeper last went idle: a flood's worth is a burst.
    private var sweptSinceIdle = 0
    private static let burst = 1_000

    /// After a burst the tables are at their peak size and malloc holds what they freed: shrink
    /// the empty ones and give the pages back, so RSS returns to about where it was before.
    private func releaseBurstMemory() {
        if servers.isEmpty { servers = [:] }
        if mergeIndex.isEmpty { mergeIndex = [:] }
        expiries = [:]
        FreedMemory.release()
    }

    private func remove(_ key: ServerKey, id: Int) {
        guard let server = servers[key], server.id == id else { return }
        server.resendTask?.cancel()
        if let mergeKey = server.mergeKey, mergeIndex[mergeKey] == key { mergeIndex[mergeKey] = nil }
        servers[key] = nil
    }

    /// The server transaction's request, for matching a CANCEL to its INVITE (§9.2).
    public func pendingInvite(matching cancel: SIPRequest) -> SIPRequest? {
        guard let key = Self.serverKey(cancel) else { return nil }
        return servers[ServerKey(branch: key.branch, sentBy: key.sentBy, method: SIPMethod.invite.name)]?.request
    }
}

/// Deadlines in the order they were added; with one delay per queue that is deadline order.
struct ExpiryQueue {
    struct Entry {
        var deadline: ContinuousClock.Instant
        var key: TransactionLayer.ServerKey
        var id: Int
    }

    private var entries: [Entry] = []
    private var start = 0

    var head: Entry? { start < entries.count ? entries[start] : nil }

    mutating func append(deadline: ContinuousClock.Instant, key: TransactionLayer.ServerKey, id: Int) {
        entries.append(Entry(deadline: deadline, key: key, id: id))
    }

    mutating func removeHead() {
        start += 1
        if start > 256 && start * 2 > entries.count {
            entries.removeFirst(start)
            start = 0
        }
    }
}
