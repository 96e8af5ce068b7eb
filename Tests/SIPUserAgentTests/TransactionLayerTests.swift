import SIPMessage
import Testing

@testable import SIPUserAgent

/// The RFC 3261 §17 state machines with a recording sender and short timers (T1 = 20 ms).
@Suite("Transactions")
struct TransactionLayerTests {
    actor FakeSender: MessageSender {
        var sent: [(bytes: [UInt8], to: Destination?)] = []
        let reliable: Bool
        init(reliable: Bool) { self.reliable = reliable }
        func send(_ bytes: [UInt8], to destination: Destination?) async throws { sent.append((bytes, destination)) }
        func isReliable() async -> Bool { reliable }
        var startLines: [String] { sent.map { String(decoding: $0.bytes.prefix { $0 != 0x0D }, as: UTF8.self) } }
    }

    static let timers = TransactionTimers(t1: .milliseconds(20), t2: .milliseconds(80), t4: .milliseconds(100))

    func request(_ method: SIPMethod, branch: String = "z9hG4bKtest1") -> SIPRequest {
        var request = SIPRequest(method: method, uri: .sip(SIPURI(user: "bob", host: .domain("x"))))
        request.headers.append("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=\(branch)")
        request.headers.append("From", "<sip:alice@x>;tag=a1")
        request.headers.append("To", "<sip:bob@x>")
        request.headers.append("Call-ID", "c1")
        request.headers.append("CSeq", "1 \(method)")
        request.setBody([])
        return request
    }

    func response(_ code: Int, to request: SIPRequest, toTag: String = "b1") -> SIPResponse {
        var response = SIPResponse(statusCode: code, reasonPhrase: "X")
        for field in request.headers where field.name.known != .contentLength { response.headers.append(field) }
        response.headers.set("To", "<sip:bob@x>;tag=\(toTag)")
        response.setBody([])
        return response
    }

    @Test func nonInviteRetransmitsOnUDPUntilTimerF() async {
        let sender = FakeSender(reliable: false)
        // T1 = 100 ms, T2 = 400 ms: Timer F at 6.4 s leaves room for a loaded machine (the whole
        // suite runs beside CPU-heavy tests on 2 cores).
        let layer = TransactionLayer(
            sender: sender, timers: TransactionTimers(t1: .milliseconds(100), t2: .milliseconds(400)))
        let outcome = await layer.send(request(.options))
        guard case .timeout = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        // Timer F = 64·T1 = 6.4 s; E doubles 100, 200, 400 then stays at T2 = 400 ms: at most 18
        // sends (far fewer when every suite starting at once starves the timers for seconds), and
        // none after F.
        let count = await sender.sent.count
        #expect((2...19).contains(count), "sent \(count) times")
        try? await Task.sleep(for: .milliseconds(200))
        #expect(await sender.sent.count == count)
    }

    @Test func reliableTransportsDoNotRetransmit() async {
        let sender = FakeSender(reliable: true)
        let layer = TransactionLayer(sender: sender, timers: Self.timers)
        let outcome = await layer.send(request(.options))
        guard case .timeout = outcome else { return }
        #expect(await sender.sent.count == 1)
    }

    @Test func finalResponseEndsTheTransactionAndLateProvisionalsAreIgnored() async throws {
        let sender = FakeSender(reliable: false)
        let layer = TransactionLayer(sender: sender, timers: Self.timers)
        let options = request(.options)
        let provisionals = Counter()
        async let outcome = layer.send(options) { _ in await provisionals.increment() }
        try await Task.sleep(for: .milliseconds(5))
        #expect(await layer.receive(response: response(100, to: options)))
        #expect(await layer.receive(response: response(200, to: options)))
        #expect(await outcome.response?.statusCode == 200)
        // A 1xx after the final response is absorbed, not reported.
        #expect(await layer.receive(response: response(180, to: options)))
        #expect(await provisionals.value == 1)
        // A response for no transaction is not claimed.
        #expect(await !layer.receive(response: response(200, to: request(.options, branch: "z9hG4bKother"))))
    }

    @Test func inviteNon2xxIsAcknowledgedAndRetransmissionsReAcked() async throws {
        let sender = FakeSender(reliable: false)
        let layer = TransactionLayer(sender: sender, timers: Self.timers)
        let invite = request(.invite)
        async let outcome = layer.send(invite)
        try await Task.sleep(for: .milliseconds(5))
        await layer.receive(response: response(486, to: invite))
        #expect(await outcome.response?.statusCode == 486)
        await layer.receive(response: response(486, to: invite))
        let lines = await sender.startLines
        #expect(lines.filter { $0.hasPrefix("ACK ") }.count == 2)
        let ack = try #require(await sender.sent.last?.bytes)
        let parsed = try #require(try SIPMessage.parse(ack).request)
        #expect(try parsed.cseq == CSeq(1, .ack))
        #expect(try parsed.to?.tag == "b1")
        #expect(try parsed.via.first?.branch == "z9hG4bKtest1")
    }

    @Test func serverResendsItsLastResponseToARetransmission() async {
        let sender = FakeSender(reliable: false)
        let layer = TransactionLayer(sender: sender, timers: Self.timers)
        let message = request(.message)
        let source = Destination(host: "127.0.0.1", port: 5999)
        #expect(await layer.receive(request: message, from: source) == .new)
        await layer.respond(to: message, with: response(200, to: message))
        #expect(await layer.receive(request: message, from: source) == .retransmission)
        let sent = await sender.sent
        #expect(sent.count == 2)
        #expect(sent.allSatisfy { $0.to == source })
        #expect(sent[0].bytes == sent[1].bytes)
    }

    @Test func serverInviteResendsNon2xxUntilACK() async throws {
        let sender = FakeSender(reliable: false)
        // RFC 3261's T1 = 500 ms: three sends by 1.5 s, Timer H (the end of waiting) at 32 s, so a
        // test run that starves timers for seconds (every suite starting at once on 2 cores) still
        // sees the ACK arrive while the transaction waits for it.
        let layer = TransactionLayer(
            sender: sender, timers: TransactionTimers(t1: .milliseconds(500), t2: .seconds(4)))
        let invite = request(.invite)
        #expect(await layer.receive(request: invite) == .new)
        await layer.respond(to: invite, with: response(486, to: invite))
        // Timer G: resent after 500 ms, 1 s, 2 s… until the ACK.
        let deadline = ContinuousClock.now + .seconds(25)
        while await sender.sent.count < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await layer.receive(request: request(.ack)) == .absorbedACK)
        let afterACK = await sender.sent.count
        #expect(afterACK >= 3)
        try await Task.sleep(for: .milliseconds(200))
        #expect(await sender.sent.count == afterACK)
    }

    @Test func mergedRequestIsDetected() async {
        let layer = TransactionLayer(sender: FakeSender(reliable: true), timers: Self.timers)
        #expect(await layer.receive(request: request(.message, branch: "z9hG4bKfirst")) == .new)
        #expect(await layer.receive(request: request(.message, branch: "z9hG4bKsecond")) == .merged)
        #expect(await layer.receive(request: request(.message, branch: "z9hG4bKfirst")) == .retransmission)
    }

    @Test func absorbingTransactionsExpire() async throws {
        // RFC 3261's T1 = 500 ms: Timer J at 32 s, far beyond the check at 400 ms even when every
        // suite starting at once on 2 cores starves the timers for seconds.
        let layer = TransactionLayer(
            sender: FakeSender(reliable: false), timers: TransactionTimers(t1: .milliseconds(500)))
        for index in 0..<200 {
            let message = request(.message, branch: "z9hG4bKmany\(index)")
            _ = await layer.receive(request: message)
            await layer.respond(to: message, with: response(200, to: message))
        }
        #expect(await layer.activeServerCount == 200)
        try await Task.sleep(for: .milliseconds(400))  // all still absorbing
        #expect(await layer.activeServerCount == 200)
        let deadline = ContinuousClock.now + .seconds(60)
        while await layer.activeServerCount > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await layer.activeServerCount == 0)
    }

    actor Counter {
        var value = 0
        func increment() { value += 1 }
    }
}
