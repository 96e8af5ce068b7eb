import NIOCore
import Testing

@testable import SIPMedia

/// Two agents on a simulated network: time jumps to the next timer, datagrams arrive in order
/// unless a rule drops them.
struct ICENetwork {
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    var events: [String: [ICEEvent]] = ["a": [], "b": []]
    /// When each agent reported its selected pair.
    var selectedAt: [String: NIODeadline] = [:]
    let a: ICEAgent
    let b: ICEAgent
    let addressA: SocketAddress
    let addressB: SocketAddress
    /// Drops a datagram (from, to) when it says so.
    var drop: (SocketAddress, SocketAddress) -> Bool = { _, _ in false }

    static func host(_ port: Int, _ ip: String = "127.0.0.1") -> ICECandidate {
        ICECandidate(
            foundation: "1", priority: ICECandidate.priority(kind: .host), address: ip, port: port, kind: .host)
    }

    init(aRole: ICEAgent.Role = .controlling, bRole: ICEAgent.Role = .controlled) throws {
        addressA = try SocketAddress(ipAddress: "127.0.0.1", port: 5000)
        addressB = try SocketAddress(ipAddress: "127.0.0.1", port: 6000)
        a = ICEAgent(role: aRole, local: .random(), localCandidate: Self.host(5000))
        b = ICEAgent(role: bRole, local: .random(), localCandidate: Self.host(6000))
    }

    /// Runs until both agents settle or `seconds` of simulated time pass.
    mutating func run(seconds: Int64, bLite: Bool = false, bCandidates: [ICECandidate]? = nil) {
        a.setRemote(b.local, candidates: bCandidates ?? [Self.host(6000)], lite: bLite, now: now)
        if !bLite { b.setRemote(a.local, candidates: [Self.host(5000)], lite: false, now: now) }
        var queue: [(bytes: [UInt8], from: SocketAddress, to: SocketAddress)] = []
        func take(_ output: ICEOutput, from: SocketAddress, _ name: String) {
            for (bytes, to, _) in output.datagrams where !drop(from, to) { queue.append((bytes, from, to)) }
            events[name, default: []] += output.events
            if output.events.contains(where: { if case .selected = $0 { true } else { false } }) {
                selectedAt[name] = now
            }
        }
        let end = now + .seconds(seconds)
        take(a.handleTimeout(now: now), from: addressA, "a")
        if !bLite { take(b.handleTimeout(now: now), from: addressB, "b") }
        while now < end {
            while !queue.isEmpty {
                let datagram = queue.removeFirst()
                if datagram.to == addressB {
                    if bLite {
                        take(liteAnswer(datagram.bytes, from: datagram.from), from: addressB, "b")
                    } else {
                        take(b.receive(datagram.bytes, from: datagram.from, now: now), from: addressB, "b")
                    }
                } else if datagram.to == addressA {
                    take(a.receive(datagram.bytes, from: datagram.from, now: now), from: addressA, "a")
                }
            }
            let next = [a.nextTimeout, bLite ? nil : b.nextTimeout].compactMap { $0 }.min()
            guard let next, next < end else { break }
            now = max(now, next)
            take(a.handleTimeout(now: now), from: addressA, "a")
            if !bLite { take(b.handleTimeout(now: now), from: addressB, "b") }
        }
    }

    /// An ICE-lite peer: it only answers checks (with b's credentials), never sends its own.
    func liteAnswer(_ bytes: [UInt8], from source: SocketAddress) -> ICEOutput {
        var output = ICEOutput()
        guard let request = try? STUNMessage(parsing: bytes), request.messageClass == .request,
            STUNMessage.integrityIsValid(bytes, key: Array(b.local.password.utf8))
        else { return output }
        var response = STUNMessage(.success, transactionID: request.transactionID)
        if let mapped = response.xorAddress(source) { response.add(STUNMessage.Attribute.xorMappedAddress, mapped) }
        output.datagrams.append((response.encoded(integrityKey: Array(b.local.password.utf8)), source, 0))
        return output
    }

    func selected(_ name: String) -> ICECandidate? {
        for case .selected(_, let remote, _) in events[name] ?? [] { return remote }
        return nil
    }

    func failure(_ name: String) -> String? {
        for case .failed(let reason) in events[name] ?? [] { return reason }
        return nil
    }
}

@Suite("ICE agent (RFC 8445)")
struct ICEAgentTests {
    @Test func candidateLinesRoundTripAndBrowserLinesParse() throws {
        let line =
            "842163049 1 udp 1677729535 203.0.113.7 49203 typ srflx raddr 192.168.1.2 rport 49203 generation 0 ufrag EEtu network-cost 999"
        let candidate = try #require(ICECandidate(sdpValue: line))
        #expect(candidate.kind == .srflx)
        #expect(candidate.priority == 1_677_729_535)
        #expect(candidate.relatedAddress == "192.168.1.2")
        #expect(
            candidate.sdpValue == "842163049 1 udp 1677729535 203.0.113.7 49203 typ srflx raddr 192.168.1.2 rport 49203"
        )
        let v6 = try #require(ICECandidate(sdpValue: "candidate:1 1 UDP 2130706431 ::1 50000 typ host"))
        #expect(v6.socketAddress?.protocol == .inet6)
        #expect(ICECandidate(sdpValue: "1 1 tcp 1518280447 10.0.0.1 9 typ host tcptype active")?.socketAddress == nil)
        #expect(ICECandidate(sdpValue: "1 1 udp x 10.0.0.1 9 typ host") == nil)
        #expect(ICECandidate(sdpValue: "garbage") == nil)
        #expect(ICECandidate.priority(kind: .host) == 2_130_706_431)
    }

    @Test func bothSidesSelectTheSamePair() throws {
        var network = try ICENetwork()
        network.run(seconds: 5)
        #expect(network.selected("a")?.port == 6000)
        #expect(network.selected("b")?.port == 5000)
        #expect(network.a.integrityFailures == 0)
    }

    @Test func withLossTheyStillDo() throws {
        var network = try ICENetwork()
        var count = 0
        network.drop = { _, _ in
            count += 1
            return count % 3 == 0
        }
        network.run(seconds: 10)
        #expect(network.selected("a") != nil)
        #expect(network.selected("b") != nil)
    }

    @Test func aBlackholedCandidateLosesToOneThatWorks() throws {
        var network = try ICENetwork()
        let dead = ICECandidate(
            foundation: "9", priority: ICECandidate.priority(kind: .host) + 1, address: "127.0.0.9", port: 6000,
            kind: .host)
        network.run(seconds: 10, bCandidates: [dead, ICENetwork.host(6000)])
        #expect(network.selected("a")?.address == "127.0.0.1")
    }

    @Test func bothControllingResolveTheConflict() throws {
        var network = try ICENetwork(aRole: .controlling, bRole: .controlling)
        network.run(seconds: 5)
        #expect(network.selected("a") != nil)
        #expect(network.selected("b") != nil)
        #expect(network.a.role != network.b.role)
    }

    @Test func aLitePeerIsNominatedByUs() throws {
        var network = try ICENetwork(aRole: .controlled)
        network.run(seconds: 5, bLite: true)
        #expect(network.a.role == .controlling)
        #expect(network.selected("a")?.port == 6000)
    }

    @Test func noWorkingPairFailsWithinItsBound() throws {
        var network = try ICENetwork()
        network.drop = { _, _ in true }
        let start = network.now
        network.run(seconds: 20)
        let reason = try #require(network.failure("a"))
        #expect(reason.hasPrefix("ICE: no candidate pair worked"))
        #expect(network.now - start <= .milliseconds(9500))
    }

    @Test func consentIsLostThirtySecondsAfterThePeerFallsSilent() throws {
        var network = try ICENetwork()
        network.run(seconds: 2)
        #expect(network.selected("a") != nil)
        let silent = network.now
        network.drop = { _, _ in true }
        network.run(seconds: 40)
        let reason = try #require(network.failure("a"))
        #expect(reason.hasPrefix("ICE: consent lost"))
        #expect(network.now - silent >= .seconds(30))
        #expect(network.now - silent <= .seconds(36))
    }

    @Test func checksWithTheWrongPasswordAreCountedAndNotAnswered() throws {
        let agent = ICEAgent(role: .controlled, local: .random(), localCandidate: ICENetwork.host(5000))
        var request = STUNMessage(.request)
        request.add(STUNMessage.Attribute.username, Array("\(agent.local.ufrag):peer".utf8))
        let bytes = request.encoded(integrityKey: Array("not the password at all".utf8))
        let output = agent.receive(bytes, from: try SocketAddress(ipAddress: "127.0.0.1", port: 7000), now: .now())
        #expect(output.datagrams.isEmpty)
        #expect(agent.integrityFailures == 1)
        #expect(
            agent.receive([0, 1, 2], from: try SocketAddress(ipAddress: "127.0.0.1", port: 7000), now: .now()).datagrams
                .isEmpty)
    }

    @Test func aCheckThatBeatsTheSDPIsPeerReflexiveUntilTheSDPNamesIt() throws {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let a = ICEAgent(role: .controlling, local: .random(), localCandidate: ICENetwork.host(5000))
        let b = ICEAgent(role: .controlled, local: .random(), localCandidate: ICENetwork.host(6000))
        a.setRemote(b.local, candidates: [ICENetwork.host(6000)], lite: false, now: now)
        let check = try #require(a.handleTimeout(now: now).datagrams.first)
        let fromA = try SocketAddress(ipAddress: "127.0.0.1", port: 5000)
        #expect(b.receive(check.bytes, from: fromA, now: now).datagrams.count == 1, "answered")
        #expect(b.pairs.map(\.remote.kind) == [.prflx])
        b.setRemote(a.local, candidates: [ICENetwork.host(5000)], lite: false, now: now)
        #expect(b.pairs.map(\.remote.kind) == [.host], "one pair, now the signalled host candidate")
    }

    @Test func eachLocalCandidatePairsWithThePeersOfItsFamilyAndAnswersFromItsSocket() throws {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let agent = ICEAgent(
            role: .controlling, local: .random(),
            localCandidates: [ICENetwork.host(5000), ICENetwork.host(5002, "::1")])
        let peer = ICECredentials.random()
        agent.setRemote(
            peer, candidates: [ICENetwork.host(6000), ICENetwork.host(6002, "::1")], lite: false, now: now)
        #expect(agent.pairs.map(\.local) == [0, 1], "127.0.0.1 with 127.0.0.1, ::1 with ::1")
        let first = try #require(agent.handleTimeout(now: now).datagrams.first)
        let second = try #require(agent.handleTimeout(now: now + .milliseconds(50)).datagrams.first)
        #expect(Set([first.from, second.from]) == [0, 1], "each check leaves from its own socket")
        #expect(
            first.to.protocol == (first.from == 1 ? .inet6 : .inet)
                && second.to.protocol == (second.from == 1 ? .inet6 : .inet))
    }

    @Test func whenEveryPairHasItsAnswerNominationDoesNotWaitOutTheGrace() throws {
        var network = try ICENetwork()
        let start = network.now
        network.run(seconds: 2)
        let a = try #require(network.selectedAt["a"])
        let b = try #require(network.selectedAt["b"])
        #expect(a - start < ICEAgent.nominationGrace, "selected after \(a - start)")
        #expect(b - start < ICEAgent.nominationGrace, "peer selected after \(b - start)")
    }
}
