import NIOCore
import SIPMessage
import SIPUserAgent

/// The demo line: a SIP service on 127.0.0.1 built from sipterm's own stack, so `sipterm` is
/// useful with no account. It registers the demo account (with a digest challenge, like a real
/// registrar), answers `echo` (your voice back), `ring` (rings until you hang up) and `busy`,
/// and echoes MESSAGEs. It never writes to standard output: the terminal belongs to the UI.
public actor DemoLine {
    /// The demo account's domain: `.invalid` (RFC 6761), so it can never leak onto a real network.
    public static let domain = "demo.invalid"
    public static let user = "demo"
    /// Extensions, for the banner/help.
    public static let extensions = ["echo", "ring", "busy"]

    public nonisolated let port: Int
    /// Fresh for each start: another local user cannot guess it and register in our place.
    nonisolated let password: String
    let socket: DemoSocket
    var registrar: DemoRegistrar
    var cache = DemoTransactionCache()
    var calls: [String: DemoCall] = [:]
    var tasks: [Task<Void, Never>] = []
    var nextCSeq: UInt32 = 1

    private init(socket: DemoSocket, password: String) {
        self.socket = socket
        self.port = socket.port
        self.password = password
        self.registrar = DemoRegistrar(user: Self.user, password: password, realm: Self.domain)
    }

    /// Binds UDP on 127.0.0.1 port 0 (a free port) and starts serving.
    public static func start() async throws -> DemoLine {
        let socket = try await DemoSocket.bind()
        let line = DemoLine(socket: socket, password: String(DigestResponder.makeCnonce().prefix(16)))
        await line.serve()
        return line
    }

    /// The account a UserAgent uses to reach the line.
    public nonisolated var configurationValues: [String: ConfigValue] {
        [
            "uri": .string("sip:\(Self.user)@\(Self.domain)"),
            "sockets": .array([.string("udp://127.0.0.1:\(port)")]),
            "password": .string(password),
            "display_name": .string("Demo"),
            "register": .bool(true),
        ]
    }

    /// Closes the socket and every call's media; pending work is dropped.
    public func stop() async {
        for task in tasks { task.cancel() }
        tasks = []
        for call in calls.values { await call.echo?.close() }
        calls = [:]
        await socket.close()
    }

    private func serve() {
        let datagrams = socket.datagrams
        tasks.append(
            Task { [weak self] in
                for await datagram in datagrams {
                    guard let self else { return }
                    await self.receive(datagram)
                }
            })
    }

    /// One datagram: anything that is not a well-formed request is dropped without a word.
    func receive(_ datagram: DemoDatagram) async {
        guard case .request(let request)? = try? MessageParser().parse(datagram.bytes) else { return }
        let key = DemoTransactionCache.key(for: request)
        if request.method != .ack, let key, let last = cache.lastResponse(for: key) {
            socket.send(last, to: datagram.source)
            return
        }
        guard (try? SIPMessage.request(request).validate()) != nil else { return }
        let source = datagram.source
        switch request.method {
        case .register: register(request, from: source)
        case .invite: await invite(request, from: source)
        case .ack: acknowledge(request)
        case .cancel: cancel(request, from: source)
        case .bye: await bye(request, from: source)
        case .update, .info: inDialog(request, from: source)
        case .options:
            respond(
                DemoResponses.make(
                    to: request, 200, toTag: Self.token(),
                    headers: [(.allow, DemoResponses.allow), (.accept, "application/sdp")]), to: request, at: source)
        case .message: message(request, from: source)
        default:
            respond(
                DemoResponses.make(to: request, 405, toTag: Self.token(), headers: [(.allow, DemoResponses.allow)]),
                to: request, at: source)
        }
    }

    /// Sends a response and keeps it for retransmissions of the request.
    func respond(_ response: SIPResponse, to request: SIPRequest, at destination: SocketAddress) {
        let bytes = response.serialized()
        socket.send(bytes, to: destination)
        if let key = DemoTransactionCache.key(for: request) { cache.store(bytes, for: key) }
    }

    private func register(_ request: SIPRequest, from source: SocketAddress) {
        let response: SIPResponse
        switch registrar.register(request) {
        case .challenge(let challenge):
            response = DemoResponses.make(
                to: request, 401, toTag: Self.token(), headers: [(.wwwAuthenticate, challenge)])
        case .forbidden:
            response = DemoResponses.make(to: request, 403, toTag: Self.token())
        case .bad:
            response = DemoResponses.make(to: request, 400, toTag: Self.token())
        case .ok(let contacts, let expires):
            var headers = contacts.map { (KnownHeader.contact, $0) }
            if !contacts.isEmpty { headers.append((.expires, String(expires))) }
            response = DemoResponses.make(to: request, 200, toTag: Self.token(), headers: headers)
        }
        respond(response, to: request, at: source)
    }

    /// A random token for tags, Call-IDs and branches.
    static func token() -> String { String(DigestResponder.makeCnonce().prefix(12)) }
}
