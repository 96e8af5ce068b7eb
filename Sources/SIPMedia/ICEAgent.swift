import NIOCore

/// A full ICE agent (RFC 8445) for one component on one socket (rtcp-mux, one host candidate
/// plus any server-reflexive one the socket has): it answers the peer's connectivity checks,
/// paces its own (one every `pacing`), resolves role conflicts, nominates (regular nomination
/// when controlling), and keeps consent on the chosen pair (RFC 7675).
///
/// Sans-IO: the caller feeds it datagrams and the time, sends what it returns, and calls
/// `handleTimeout` at `nextTimeout`. Not `Sendable`: confined to its socket's event loop.
///
/// Bounds: a check is sent up to 6 times (0.5, 1, 2, 2, 2 s apart), so a dead pair fails after
/// 9.5 s (the last send is given 2 s too); with no pair working the agent fails when every pair has failed, or 15 s after the
/// checks began. The controlling side nominates the best valid pair once every pair has settled
/// or 200 ms after the first valid one. Consent checks go every 5 s ± 20 %; 30 s without an
/// answer fails the agent.
final class ICEAgent {
    enum Role: Equatable { case controlling, controlled }

    struct Transaction {
        var pair: Int?
        var remote: SocketAddress
        var base: Int
        var bytes: [UInt8]
        var sends = 1
        var nextSend: NIODeadline
        var useCandidate = false
    }

    static let retransmitGaps: [Int64] = [500, 1000, 2000, 2000, 2000]
    static let nominationGrace = TimeAmount.milliseconds(200)
    static let giveUp = TimeAmount.seconds(15)
    static let consentInterval: Int64 = 5000
    static let consentTimeout = TimeAmount.seconds(30)

    let local: ICECredentials
    let tieBreaker: UInt64
    /// Our host candidates, one per socket (base); datagrams name their base by index here.
    let localCandidates: [ICECandidate]
    let pacing: TimeAmount
    private(set) var role: Role
    private(set) var remote: ICECredentials?
    private(set) var remoteLite = false
    private(set) var pairs: [ICECandidatePair] = []
    private(set) var selected: Int?
    private(set) var failure: String?
    /// Requests and responses whose MESSAGE-INTEGRITY was wrong: dropped, never answered.
    private(set) var integrityFailures = 0
    private var triggered: [Int] = []
    private var transactions: [[UInt8]: Transaction] = [:]
    private var nextCheck: NIODeadline?
    private var started: NIODeadline?
    private var firstValid: NIODeadline?
    private var nominating = false
    private var lastConsent: NIODeadline?
    private var nextConsent: NIODeadline?

    init(
        role: Role, local: ICECredentials, localCandidates: [ICECandidate],
        tieBreaker: UInt64 = UInt64.random(in: 0...UInt64.max), pacing: TimeAmount = .milliseconds(50)
    ) {
        self.role = role
        self.local = local
        self.localCandidates = localCandidates
        self.tieBreaker = tieBreaker
        self.pacing = pacing
    }

    convenience init(
        role: Role, local: ICECredentials, localCandidate: ICECandidate,
        tieBreaker: UInt64 = UInt64.random(in: 0...UInt64.max), pacing: TimeAmount = .milliseconds(50)
    ) {
        self.init(role: role, local: local, localCandidates: [localCandidate], tieBreaker: tieBreaker, pacing: pacing)
    }

    var selectedPair: ICECandidatePair? { selected.map { pairs[$0] } }

    /// The peer's credentials and candidates from its SDP; checks start at once. A lite peer
    /// never checks, so the full agent is always controlling against it (RFC 8445 §6.1.1).
    func setRemote(_ credentials: ICECredentials, candidates: [ICECandidate], lite: Bool, now: NIODeadline) {
        if let remote, remote != credentials { return }
        remote = credentials
        remoteLite = lite
        if lite { role = .controlling }
        for candidate in candidates where candidate.component == 1 {
            guard let address = candidate.socketAddress else { continue }
            // A check that beat the SDP made this address peer-reflexive: it is the signalled
            // candidate after all (RFC 8445 §7.3.1.3 learns; the SDP names).
            for index in pairs.indices where pairs[index].remoteAddress == address && pairs[index].remote.kind == .prflx
            {
                pairs[index].remote = candidate
            }
            for base in localCandidates.indices { addPair(candidate, address, base: base) }
        }
        started = started ?? now
        nextCheck = now
        reprioritise()
    }

    // MARK: Input

    /// A STUN datagram that arrived on the socket of local candidate `base`.
    func receive(_ bytes: [UInt8], from source: SocketAddress, base: Int = 0, now: NIODeadline) -> ICEOutput {
        var output = ICEOutput()
        guard failure == nil, STUNMessage.fingerprintIsValid(bytes), let message = try? STUNMessage(parsing: bytes),
            message.method == STUNMessage.binding
        else { return output }
        switch message.messageClass {
        case .request: handleRequest(message, bytes, from: source, base: base, now: now, &output)
        case .success, .error: handleResponse(message, bytes, from: source, base: base, now: now, &output)
        case .indication: break
        }
        return output
    }

    private func handleRequest(
        _ message: STUNMessage, _ bytes: [UInt8], from source: SocketAddress, base: Int, now: NIODeadline,
        _ output: inout ICEOutput
    ) {
        guard message.username?.hasPrefix(local.ufrag + ":") == true,
            STUNMessage.integrityIsValid(bytes, key: Array(local.password.utf8))
        else {
            integrityFailures += 1
            return
        }
        // RFC 8445 §7.3.1.1: the larger tie-breaker is controlling; the loser learns by 487.
        if role == .controlling, let theirs = message.tieBreaker(STUNMessage.Attribute.iceControlling) {
            if tieBreaker >= theirs { return respond(message, to: source, base: base, error: 487, &output) }
            switchRole(to: .controlled)
        } else if role == .controlled, let theirs = message.tieBreaker(STUNMessage.Attribute.iceControlled) {
            if tieBreaker >= theirs {
                switchRole(to: .controlling)
            } else {
                return respond(message, to: source, base: base, error: 487, &output)
            }
        }
        respond(message, to: source, base: base, error: nil, &output)
        var index = pairs.firstIndex { $0.remoteAddress == source && $0.local == base }
        if index == nil, let address = source.ipAddress, let port = source.port {
            // A peer-reflexive remote candidate (§7.3.1.3): an address its SDP did not list.
            let candidate = ICECandidate(
                foundation: "prflx\(pairs.count)", priority: message.priority ?? 0, address: address, port: port,
                kind: .prflx)
            addPair(candidate, source, base: base)
            reprioritise()
            index = pairs.firstIndex { $0.remoteAddress == source && $0.local == base }
            started = started ?? now
        }
        guard let index else { return }
        if message.has(STUNMessage.Attribute.useCandidate), role == .controlled {
            pairs[index].nominatedByPeer = true
            if pairs[index].state == .succeeded, selected == nil { select(index, now: now, &output) }
        }
        if pairs[index].state == .waiting || pairs[index].state == .failed, !triggered.contains(index) {
            pairs[index].state = .waiting
            triggered.append(index)
            nextCheck = min(nextCheck ?? now, now)
        }
    }

    private func handleResponse(
        _ message: STUNMessage, _ bytes: [UInt8], from source: SocketAddress, base: Int, now: NIODeadline,
        _ output: inout ICEOutput
    ) {
        guard let transaction = transactions[message.transactionID], let remote else { return }
        guard STUNMessage.integrityIsValid(bytes, key: Array(remote.password.utf8)) else {
            integrityFailures += 1
            return
        }
        transactions[message.transactionID] = nil
        guard let index = transaction.pair else {
            if message.messageClass == .success { lastConsent = now }
            return
        }
        if message.messageClass == .error {
            if message.errorCode == 487 {
                switchRole(to: role == .controlling ? .controlled : .controlling)
                pairs[index].state = .waiting
                triggered.append(index)
            } else {
                pairs[index].state = .failed
            }
            return
        }
        // §7.2.5.2.1: the answer must come from where the check went, to where it left.
        guard source == transaction.remote, base == transaction.base else {
            pairs[index].state = .failed
            return
        }
        pairs[index].state = .succeeded
        pairs[index].mappedLocal = message.mappedAddress
        firstValid = firstValid ?? now
        guard selected == nil else { return }
        if transaction.useCandidate || (role == .controlled && pairs[index].nominatedByPeer) {
            select(index, now: now, &output)
        }
    }

    // MARK: Time

    func handleTimeout(now: NIODeadline) -> ICEOutput {
        var output = ICEOutput()
        guard failure == nil else { return output }
        retransmit(now: now, &output)
        if remote != nil, selected == nil, let due = nextCheck, due <= now {
            sendNextCheck(now: now, &output)
        }
        if role == .controlling, selected == nil, !nominating, let firstValid,
            now - firstValid >= Self.nominationGrace
                || !pairs.contains(where: { $0.state == .waiting || $0.state == .inProgress })
        {
            nominate(now: now, &output)
        }
        if let selected {
            if let last = lastConsent, now - last >= Self.consentTimeout {
                let peer = pairs[selected].remote
                fail("ICE: consent lost: no answer from \(peer.address):\(peer.port) for 30 s", &output)
                return output
            }
            if let due = nextConsent, due <= now {
                send(check: selected, consent: true, now: now, &output)
                nextConsent =
                    now
                    + .milliseconds(Int64.random(in: Self.consentInterval * 8 / 10...Self.consentInterval * 12 / 10))
            }
        } else if let started {
            let settled = !pairs.isEmpty && pairs.allSatisfy { $0.state == .failed } && triggered.isEmpty
            if settled || now - started >= Self.giveUp {
                fail(
                    pairs.isEmpty
                        ? "ICE: the peer gave no candidate sipterm can reach"
                        : "ICE: no candidate pair worked (\(pairs.count) checked)", &output)
            }
        }
        return output
    }

    var nextTimeout: NIODeadline? {
        guard failure == nil else { return nil }
        var times = transactions.values.map(\.nextSend)
        if remote != nil, selected == nil, let nextCheck,
            !triggered.isEmpty || pairs.contains(where: { $0.state == .waiting })
        {
            times.append(nextCheck)
        }
        if selected == nil, let started { times.append(started + Self.giveUp) }
        if selected == nil, role == .controlling, !nominating, let firstValid {
            // Once every pair has its answer there is nothing better to wait for: nominate now.
            let settled = !pairs.contains { $0.state == .waiting || $0.state == .inProgress }
            times.append(settled ? firstValid : firstValid + Self.nominationGrace)
        }
        if let nextConsent { times.append(nextConsent) }
        if let lastConsent, selected != nil { times.append(lastConsent + Self.consentTimeout) }
        return times.min()
    }

    // MARK: Checks

    private func sendNextCheck(now: NIODeadline, _ output: inout ICEOutput) {
        let index: Int?
        if !triggered.isEmpty {
            index = triggered.removeFirst()
        } else {
            index = pairs.indices.filter { pairs[$0].state == .waiting }.max { pairs[$0].priority < pairs[$1].priority }
        }
        guard let index else { return }
        send(check: index, consent: false, now: now, &output)
        nextCheck = now + pacing
    }

    private func nominate(now: NIODeadline, _ output: inout ICEOutput) {
        guard
            let best = pairs.indices.filter({ pairs[$0].state == .succeeded }).max(by: {
                pairs[$0].priority < pairs[$1].priority
            })
        else { return }
        nominating = true
        send(check: best, consent: false, useCandidate: true, now: now, &output)
    }

    private func send(
        check index: Int, consent: Bool, useCandidate: Bool = false, now: NIODeadline, _ output: inout ICEOutput
    ) {
        guard let remote else { return }
        var request = STUNMessage(.request)
        request.add(STUNMessage.Attribute.username, Array("\(remote.ufrag):\(local.ufrag)".utf8))
        request.add(
            STUNMessage.Attribute.priority, STUNMessage.bigEndian(ICECandidate.priority(kind: .prflx)))
        if role == .controlling {
            request.add(STUNMessage.Attribute.iceControlling, STUNMessage.bigEndian(tieBreaker))
            if useCandidate { request.add(STUNMessage.Attribute.useCandidate, []) }
        } else {
            request.add(STUNMessage.Attribute.iceControlled, STUNMessage.bigEndian(tieBreaker))
        }
        let bytes = request.encoded(integrityKey: Array(remote.password.utf8))
        let address = pairs[index].remoteAddress
        let base = pairs[index].local
        if !consent { pairs[index].state = .inProgress }
        transactions[request.transactionID] = Transaction(
            pair: consent ? nil : index, remote: address, base: base, bytes: bytes,
            sends: consent ? Self.retransmitGaps.count + 1 : 1,
            nextSend: now + .milliseconds(consent ? Self.consentInterval : Self.retransmitGaps[0]),
            useCandidate: useCandidate)
        output.datagrams.append((bytes, address, base))
    }

    private func retransmit(now: NIODeadline, _ output: inout ICEOutput) {
        for (id, var transaction) in transactions where transaction.nextSend <= now {
            guard transaction.sends <= Self.retransmitGaps.count else {
                transactions[id] = nil
                if let index = transaction.pair {
                    pairs[index].state = .failed
                    if transaction.useCandidate { nominating = false }
                }
                continue
            }
            output.datagrams.append((transaction.bytes, transaction.remote, transaction.base))
            transaction.nextSend =
                now + .milliseconds(Self.retransmitGaps[min(transaction.sends, Self.retransmitGaps.count - 1)])
            transaction.sends += 1
            transactions[id] = transaction
        }
    }

    private func respond(
        _ request: STUNMessage, to source: SocketAddress, base: Int, error: Int?, _ output: inout ICEOutput
    ) {
        var response = STUNMessage(error == nil ? .success : .error, transactionID: request.transactionID)
        if let error {
            response.add(STUNMessage.Attribute.errorCode, STUNMessage.errorValue(error, "Role Conflict"))
        } else if let mapped = response.xorAddress(source) {
            response.add(STUNMessage.Attribute.xorMappedAddress, mapped)
        }
        output.datagrams.append((response.encoded(integrityKey: Array(local.password.utf8)), source, base))
    }

    private func select(_ index: Int, now: NIODeadline, _ output: inout ICEOutput) {
        selected = index
        lastConsent = now
        nextConsent = now + .milliseconds(Self.consentInterval)
        let host = localCandidates[pairs[index].local]
        var mine = host
        if let mapped = pairs[index].mappedLocal, let address = mapped.ipAddress, let port = mapped.port,
            address != host.address || port != host.port
        {
            mine = ICECandidate(
                foundation: "prflx", priority: ICECandidate.priority(kind: .prflx), address: address, port: port,
                kind: .prflx, relatedAddress: host.address, relatedPort: host.port)
        }
        output.events.append(.selected(local: mine, remote: pairs[index].remote, base: pairs[index].local))
    }

    private func fail(_ reason: String, _ output: inout ICEOutput) {
        failure = reason
        transactions = [:]
        output.events.append(.failed(reason))
    }

    private func switchRole(to role: Role) {
        self.role = role
        reprioritise()
    }

    /// Pairs the peer's candidate with our candidate `base` when both are of one address family.
    private func addPair(_ candidate: ICECandidate, _ address: SocketAddress, base: Int) {
        guard localCandidates[base].address.contains(":") == (address.protocol == .inet6),
            !pairs.contains(where: { $0.remoteAddress == address && $0.local == base })
        else { return }
        pairs.append(ICECandidatePair(local: base, remote: candidate, remoteAddress: address))
    }

    private func reprioritise() {
        for index in pairs.indices {
            pairs[index].prioritise(
                local: localCandidates[pairs[index].local].priority, controlling: role == .controlling)
        }
    }
}
