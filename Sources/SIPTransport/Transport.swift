import SIPMessage

/// JsSIP's Transport for every transport kind: picks a socket by weight, connects, reconnects
/// with JsSIP's backoff when the connection drops or cannot be made, and carries SIP messages
/// both ways. State changes come on `events`, messages on `inbound`.
public actor Transport {
    public struct Options: Sendable {
        public var recovery: RecoveryBackoff
        public var connection: ConnectionSettings
        public var keepAlive: KeepAlive
        public var addressWatch: LocalAddressWatch

        public init(
            recovery: RecoveryBackoff = RecoveryBackoff(), connection: ConnectionSettings = ConnectionSettings(),
            keepAlive: KeepAlive = KeepAlive(), addressWatch: LocalAddressWatch = LocalAddressWatch()
        ) {
            self.recovery = recovery
            self.connection = connection
            self.keepAlive = keepAlive
            self.addressWatch = addressWatch
        }
    }

    /// What arrives from the server.
    public enum Inbound: Sendable {
        case message(ReceivedMessage)
        /// Bytes that are not a valid SIP message, with the reason.
        case malformed(bytes: [UInt8], reason: String)
    }

    public nonisolated let events: AsyncStream<TransportEvent>
    public nonisolated let inbound: AsyncStream<Inbound>
    private let eventSink: AsyncStream<TransportEvent>.Continuation
    private let inboundSink: AsyncStream<Inbound>.Continuation

    public private(set) var options: Options
    private var sockets: SocketList
    private var random = SystemRandomNumberGenerator()
    private var runTask: Task<Void, Never>?
    private var stopped = true
    /// Recovery attempts since the last successful connection (JsSIP's `recover_attempts`).
    public private(set) var attempts = 0
    private var current: (index: Int, connection: Connection)?
    /// RFC 3263 targets that could not be connected to or did not answer, skipped until every
    /// target of the socket has been (then all are tried again).
    private var unreachable: Set<ServerTarget> = []
    /// How many targets the current connection's socket resolved to.
    private var alternatives = 0
    /// Set when the current target was given up for the next: reconnect at once, no backoff.
    private var failingOver = false
    private var lastPong = ContinuousClock.now

    public init(sockets: [SocketEntry], options: Options = Options()) {
        self.sockets = SocketList(sockets)
        self.options = options
        (events, eventSink) = AsyncStream.makeStream(of: TransportEvent.self)
        (inbound, inboundSink) = AsyncStream.makeStream(of: Inbound.self)
    }

    /// The socket in use and its connection, when connected.
    public var connection: Connection? { current?.connection }
    public var isConnected: Bool { current != nil }
    public var socketEntries: [SocketEntry] { sockets.entries }

    /// Starts connecting (and keeps the connection up until `stop`).
    public func start() {
        guard runTask == nil else { return }
        stopped = false
        runTask = Task { await self.run() }
    }

    /// Disconnects on the user's request: no recovery follows, and the attempt counter is reset.
    public func stop() async {
        stopped = true
        attempts = 0
        runTask?.cancel()
        if let current { await current.connection.close() }
        await runTask?.value
        runTask = nil
    }

    /// Replaces the socket list; a running transport reconnects to the best of the new sockets.
    public func setSockets(_ entries: [SocketEntry]) async {
        sockets = SocketList(entries)
        unreachable = []
        if runTask != nil {
            await stop()
            start()
        }
    }

    public func setOptions(_ options: Options) { self.options = options }

    /// Sends one serialized message on the current connection; on UDP, to `destination` when
    /// given (a response to a request from elsewhere), else to the server.
    public func send(_ bytes: [UInt8], to destination: (host: String, port: Int)? = nil) async throws(TransportError) {
        guard let connection = current?.connection else { throw TransportError("not connected") }
        do {
            try await connection.send(bytes, to: destination)
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError("send to \(connection.url) failed: \(error)")
        }
    }

    public func send(_ message: SIPMessage) async throws(TransportError) { try await send(message.serialized()) }

    private func run() async {
        while !stopped {
            let index = sockets.choose(using: &random)
            let url = sockets.entries[index].url
            eventSink.yield(.connecting(socket: url, attempts: attempts))
            do {
                let connection = try await connect(url)
                guard !stopped else {
                    await connection.close()
                    break
                }
                attempts = 0
                sockets.markHealthy(index)
                current = (index, connection)
                eventSink.yield(.connected(socket: url))
                let failure = await carry(connection)
                current = nil
                if stopped {
                    eventSink.yield(.disconnected(socket: url, error: false, code: nil, reason: nil))
                    break
                }
                sockets.markFailed(index)
                eventSink.yield(.disconnected(socket: url, error: true, code: nil, reason: failure?.reason))
            } catch {
                sockets.markFailed(index)
                eventSink.yield(.disconnected(socket: url, error: true, code: nil, reason: error.reason))
            }
            guard !stopped else { break }
            if failingOver {
                failingOver = false
                sockets.markHealthy(index)
                continue
            }
            attempts += 1
            let delay = options.recovery.delay(attempt: attempts, using: &random)
            eventSink.yield(.recoveryScheduled(attempt: attempts, delay: delay))
            try? await Task.sleep(for: .seconds(delay))
        }
    }

    /// Resolves the socket (RFC 3263) and connects to the first target that takes the
    /// connection; the error names every target that failed.
    private func connect(_ url: SocketURL) async throws(TransportError) -> Connection {
        if url.host.isIPAddress { return try await Connection.open(url, settings: options.connection) }
        var generator = random
        let targets = try await ServerLocator(dns: DNSResolver(settings: options.connection.dns))
            .targets(for: url, using: &generator)
        var untried = targets.filter { !unreachable.contains($0) }
        if untried.isEmpty {
            unreachable.subtract(targets)
            untried = targets
        }
        alternatives = targets.count
        var failures: [TransportError] = []
        for target in untried where !stopped {
            do {
                return try await Connection.open(url, at: target, settings: options.connection)
            } catch {
                failures.append(error)
                unreachable.insert(target)
            }
        }
        guard failures.count > 1, let last = failures.last else {
            throw failures.first ?? TransportError("\(url): stopped")
        }
        throw TransportError(
            "no server of \(url) took the connection: " + failures.map(\.reason).joined(separator: "; "),
            certificate: last.isCertificateFailure)
    }

    /// The server did not answer a request on UDP, where a connection cannot fail (RFC 3263
    /// §4.3): when DNS named other servers for the socket, this one is skipped and the next is
    /// connected to at once. False when there is no other server to move to.
    @discardableResult
    public func serverDidNotAnswer() async -> Bool {
        guard let connection = current?.connection, connection.kind == .udp, let target = connection.target,
            alternatives > 1
        else { return false }
        unreachable.insert(target)
        failingOver = true
        connection.continuation.yield(
            .closed(TransportError("no answer from \(connection.url) (\(target)); trying its next server")))
        await connection.close()
        return true
    }

    /// Forwards what the connection receives until it closes; returns why it closed.
    private func carry(_ connection: Connection) async -> TransportError? {
        let keepAlive = options.keepAlive.transports.contains(connection.kind) ? options.keepAlive : nil
        lastPong = .now
        let pinger = keepAlive.map { settings in Task { await self.keepAlive(connection, settings) } }
        let watch = options.addressWatch
        let watcher = Task { await watch.watch(connection) }
        defer {
            pinger?.cancel()
            watcher.cancel()
        }
        for await event in connection.events {
            switch event {
            case .message(let message): inboundSink.yield(.message(message))
            case .malformed(let bytes, let reason): inboundSink.yield(.malformed(bytes: bytes, reason: reason))
            case .pong: lastPong = .now
            case .closed(let error): return error
            }
        }
        return nil
    }

    private func keepAlive(_ connection: Connection, _ settings: KeepAlive) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.interval)
            guard !Task.isCancelled else { return }
            let sent = ContinuousClock.now
            try? await connection.sendKeepAlive()
            try? await Task.sleep(for: settings.timeout)
            guard !Task.isCancelled else { return }
            if lastPong < sent {
                connection.continuation.yield(
                    .closed(TransportError("no keep-alive answer from \(connection.url) within \(settings.timeout)")))
                await connection.close()
                return
            }
        }
    }
}
