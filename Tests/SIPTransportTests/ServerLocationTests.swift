import Foundation
import SIPMessage
import TestSupport
import Testing

@testable import SIPTransport

/// RFC 3263 against a real DNS server: dnsmasq on 127.0.0.1:15353 serving the test zone
/// `sipterm.test` (peers/dns/sipterm.test.conf), read through c-ares, then Kamailio reached at
/// what it says.
@Suite("RFC 3263 server location against a loopback DNS server", .serialized)
struct ServerLocationTests {
    func locate(_ text: String, seed: UInt64 = 1) async throws -> [ServerTarget] {
        let dns = try await LoopbackDNS.running()
        var random = SplitMix64(seed: seed)
        return try await ServerLocator(dns: DNSResolver(settings: dns))
            .targets(for: try SocketURL(parsing: text), using: &random)
    }

    @Test func theResolverReadsEachRecordType() async throws {
        let resolver = DNSResolver(settings: try await LoopbackDNS.running())
        let naptr = try await resolver.naptr("sipterm.test").sorted { $0.order < $1.order }
        #expect(naptr.map(\.service) == ["SIP+D2T", "SIP+D2U", "SIPS+D2T"])
        #expect(
            naptr.map(\.replacement) == ["_sip._tcp.sipterm.test", "_sip._udp.sipterm.test", "_sips._tcp.sipterm.test"])
        #expect(naptr.allSatisfy { $0.flags.lowercased() == "s" && $0.regexp.isEmpty && $0.preference == 10 })
        let srv = try await resolver.srv("_sip._tcp.sipterm.test").sorted { $0.priority < $1.priority }
        #expect(
            srv == [
                SRVRecord(priority: 10, weight: 0, port: 15009, target: "dead.sipterm.test"),
                SRVRecord(priority: 20, weight: 0, port: 15060, target: "kamailio.sipterm.test"),
            ])
        #expect(try await resolver.addresses("kamailio.sipterm.test") == ["127.0.0.1"])
        #expect(try await resolver.addresses("kamailio6.sipterm.test") == ["::1"])
        // A name the zone lacks, and a type a name lacks, are empty answers, not failures.
        #expect(try await resolver.addresses("nowhere.sipterm.test").isEmpty)
        #expect(try await resolver.naptr("kamailio.sipterm.test").isEmpty)
        #expect(try await resolver.srv("_sip._udp.srv.sipterm.test").isEmpty)
    }

    @Test func naptrChoosesTheTransportsAndSRVTheServersInOrder() async throws {
        #expect(
            try await locate("sip:sipterm.test") == [
                ServerTarget(kind: .tcp, address: "127.0.0.1", port: 15009),
                ServerTarget(kind: .tcp, address: "127.0.0.1", port: 15060),
                ServerTarget(kind: .udp, address: "127.0.0.1", port: 15060),
                ServerTarget(kind: .tls, address: "127.0.0.1", port: 15061),
            ])
        // sips: takes only the secure service.
        #expect(try await locate("sips:sipterm.test") == [ServerTarget(kind: .tls, address: "127.0.0.1", port: 15061)])
    }

    @Test func withoutNAPTRTheSRVOfEachTransportIsAsked() async throws {
        #expect(
            try await locate("sip:srv.sipterm.test") == [ServerTarget(kind: .tcp, address: "127.0.0.1", port: 15060)])
        #expect(
            try await locate("tcp://srv.sipterm.test") == [ServerTarget(kind: .tcp, address: "127.0.0.1", port: 15060)])
        // IPv6 only: the SRV target has an AAAA record and no A.
        #expect(
            try await locate("sip:v6.sipterm.test;transport=udp") == [
                ServerTarget(kind: .udp, address: "::1", port: 15060)
            ])
    }

    @Test func aGivenPortOrNoSRVMeansTheHostsAddresses() async throws {
        #expect(
            try await locate("tcp://aonly.sipterm.test:15060") == [
                ServerTarget(kind: .tcp, address: "127.0.0.1", port: 15060)
            ])
        // sipterm.test has SRV records, but a written port skips them.
        #expect(
            try await locate("sip:kamailio.sipterm.test:15070") == [
                ServerTarget(kind: .udp, address: "127.0.0.1", port: 15070)
            ])
        #expect(
            try await locate("udp://aonly.sipterm.test") == [ServerTarget(kind: .udp, address: "127.0.0.1", port: 5060)]
        )
        #expect(
            try await locate("sips:aonly.sipterm.test") == [ServerTarget(kind: .tls, address: "127.0.0.1", port: 5061)])
        // WebSocket URLs keep their HTTP meaning: the written or default port, no SRV.
        #expect(
            try await locate("ws://kamailio.sipterm.test") == [ServerTarget(kind: .ws, address: "127.0.0.1", port: 80)])
        #expect(
            try await locate("wss://kamailio6.sipterm.test:15443/") == [
                ServerTarget(kind: .wss, address: "::1", port: 15443)
            ])
    }

    @Test func equalPrioritiesAreDrawnByWeight() async throws {
        // The four weights.sipterm.test targets, each once, in an order the seeded draw decides.
        let first = try await locate("udp://weights.sipterm.test", seed: 7)
        #expect(Set(first.map(\.address)) == ["127.0.0.60", "127.0.0.30", "127.0.0.10", "127.0.0.1"])
        var firsts: [String: Int] = [:]
        for seed in UInt64(1)...300 {
            let order = try await locate("udp://weights.sipterm.test", seed: seed)
            #expect(order.count == 4)
            firsts[order[0].address, default: 0] += 1
        }
        // Weight 60 of 100 is first about 60 % of the time; weight 0 (almost) never.
        #expect((140...220).contains(firsts["127.0.0.60", default: 0]), "\(firsts)")
        #expect((60...120).contains(firsts["127.0.0.30", default: 0]), "\(firsts)")
        #expect((10...50).contains(firsts["127.0.0.10", default: 0]), "\(firsts)")
        #expect(firsts["127.0.0.1", default: 0] <= 6, "\(firsts)")
    }

    @Test func aNameWithNoServerIsAClearError() async throws {
        do {
            let found = try await locate("sip:nowhere.sipterm.test")
            Issue.record("expected no server, got \(found)")
        } catch {
            #expect("\(error)".contains("sip:nowhere.sipterm.test"), "\(error)")
            #expect("\(error)".hasPrefix("DNS: no server found"), "\(error)")
            #expect("\(error)".hasSuffix("(no NAPTR, SRV, A or AAAA record)"), "\(error)")
        }
    }

    @Test func aDNSServerThatDoesNotAnswerFailsWithinItsTimeout() async throws {
        // Nothing listens on UDP 15354: each try ends at once (ICMP) or at the timeout.
        let silent = DNSSettings(servers: ["127.0.0.1:15354"], timeoutMilliseconds: 300, tries: 1)
        let started = ContinuousClock.now
        var random = SplitMix64(seed: 1)
        do {
            let found = try await ServerLocator(dns: DNSResolver(settings: silent))
                .targets(for: try SocketURL(parsing: "sip:sipterm.test"), using: &random)
            Issue.record("expected a DNS failure, got \(found)")
        } catch {
            #expect("\(error)".contains("NAPTR sipterm.test"), "\(error)")
            #expect("\(error)".contains("A/AAAA sipterm.test"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func theTransportFailsOverToTheNextSRVTarget() async throws {
        let kamailio = try await Kamailio.running()
        let dns = try await LoopbackDNS.running()
        let socket = try SocketURL(parsing: "sip:sipterm.test")
        let quick = Transport.Options(connection: ConnectionSettings(connectTimeout: .seconds(5), dns: dns))
        let transport = Transport(sockets: [SocketEntry(url: socket)], options: quick)
        await transport.start()
        let events = await collect(transport.events, timeout: .seconds(15)) { seen in
            seen.contains { if case .connected = $0.event { true } else { false } }
        }.map(\.event)
        // One attempt: the dead priority-10 server refused, the priority-20 one took it.
        #expect(events == [.connecting(socket: socket, attempts: 0), .connected(socket: socket)])
        let connection = try #require(await transport.connection)
        #expect(connection.target == ServerTarget(kind: .tcp, address: "127.0.0.1", port: kamailio.sipPort))
        #expect(connection.kind == .tcp)
        #expect(connection.url.host == .domain("sipterm.test"))
        #expect(connection.url.sipURI.description == "sip:sipterm.test;transport=tcp;lr")
        let (request, branch) = options(to: connection.url, on: connection)
        try await transport.send(request.serialized())
        var answer: Int?
        for await item in transport.inbound {
            if case .message(let received) = item, try received.message.response?.via.first?.branch == branch {
                answer = received.message.response?.statusCode
                break
            }
        }
        #expect(answer == 200)
        await transport.stop()
    }

    @Test func tlsToAnSRVTargetVerifiesTheDomainsCertificate() async throws {
        let kamailio = try await Kamailio.running()
        let dns = try await LoopbackDNS.running()
        // The certificate names sipterm.test (and localhost), not the SRV target's name.
        let settings = ConnectionSettings(tls: TLSSettings(caFile: kamailio.certificate), dns: dns)
        var random = SplitMix64(seed: 1)
        let url = try SocketURL(parsing: "sips:sipterm.test")
        let target = try #require(
            try await ServerLocator(dns: DNSResolver(settings: dns)).targets(for: url, using: &random).first)
        let connection = try await Connection.open(url, at: target, settings: settings)
        #expect(connection.kind == .tls)
        #expect(connection.remote == "127.0.0.1:\(kamailio.tlsPort)")
        await connection.close()
    }
}

@Suite("RFC 2782 SRV order")
struct SRVOrderTests {
    @Test func prioritiesAscendAndWeightsShareTheDraws() {
        let records = [
            SRVRecord(priority: 20, weight: 5, port: 1, target: "late"),
            SRVRecord(priority: 10, weight: 75, port: 1, target: "heavy"),
            SRVRecord(priority: 10, weight: 25, port: 1, target: "light"),
            SRVRecord(priority: 10, weight: 0, port: 1, target: "zero"),
        ]
        var random = SplitMix64(seed: 42)
        var firsts: [String: Int] = [:]
        for _ in 0..<10_000 {
            let order = SRVOrder.ordered(records, using: &random).map(\.target)
            #expect(order.count == 4 && order.last == "late" && Set(order.prefix(3)) == ["heavy", "light", "zero"])
            firsts[order[0], default: 0] += 1
        }
        // 75 : 25 : 0 of 100, with a draw of 0 (1 in 101) going to the weight-0 record.
        #expect((7_200...7_700).contains(firsts["heavy", default: 0]), "\(firsts)")
        #expect((2_200...2_700).contains(firsts["light", default: 0]), "\(firsts)")
        #expect(firsts["zero", default: 0] < 200, "\(firsts)")
    }

    @Test func aDotTargetMeansNoService() {
        var random = SplitMix64(seed: 1)
        #expect(SRVOrder.ordered([SRVRecord(priority: 0, weight: 0, port: 0, target: ".")], using: &random).isEmpty)
        #expect(SRVOrder.ordered([], using: &random).isEmpty)
    }
}
