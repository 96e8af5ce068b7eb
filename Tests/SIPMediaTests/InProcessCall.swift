import TestSupport
import Testing

@testable import SIPMedia

/// Two RTP sessions on loopback in this process: the caller plays a 440 Hz sine with
/// `offerAnswer`, the callee (default settings: it answers in the offer's profile) records and
/// logs DTMF. Both log their media events.
struct InProcessCall {
    let caller: RTPSession
    let callee: RTPSession
    let sink = RecordingSink()
    let tones = ToneLog()
    let callerEvents = MediaEventLog()
    let calleeEvents = MediaEventLog()

    init(_ offerAnswer: OfferAnswer) async throws {
        let callerEvents = callerEvents
        let calleeEvents = calleeEvents
        let tones = tones
        caller = try await RTPSession.open(
            localAddress: "127.0.0.1", offerAnswer: offerAnswer, source: ToneGenerator.sine(frequency: 440),
            onTone: { _, _ in }, onEvent: callerEvents.record)
        callee = try await RTPSession.open(
            localAddress: "127.0.0.1", source: ToneGenerator.sine(frequency: 1000), sink: sink,
            onTone: tones.record, onEvent: calleeEvents.record)
    }

    /// Offer, answer (changed on its way by `tamper`), and the answer applied 100 ms later: the
    /// answerer's first media-path packets (ICE checks, a ClientHello) overtake it, as they do
    /// when a 200 OK travels through a proxy.
    func negotiate(tamper: (String) -> String = { $0 }) async throws {
        let offer = await caller.makeOffer(direction: .sendrecv)
        let (answer, _) = try await callee.makeAnswer(to: offer, hold: false)
        try await Task.sleep(for: .milliseconds(100))
        try await caller.applyAnswer(tamper(answer))
    }

    /// Waits for the caller's `secured` event, lets audio flow, sends DTMF `digit` and checks
    /// that the callee heard the 440 Hz sine and the digit, with no packet refused. Closes both.
    func expectToneAndDTMF(_ digit: Character) async throws {
        let secured = try await callerEvents.first(within: 5) { if case .secured = $0 { true } else { false } }
        #expect(secured != nil, "caller events \(callerEvents.all)")
        try await Task.sleep(for: .milliseconds(1200))
        try await caller.sendTone(digit, duration: 100)
        try await Task.sleep(for: .milliseconds(200))
        let received = await callee.statistics()
        await close()
        #expect((received["packets_received"] ?? 0) > 40)
        #expect(received["srtp_auth_failures"] == 0)
        let audio = sink.recorded
        HeardTone.expect(audio, heard: 440, forAtLeast: 0.6)
        #expect(tones.all == ["\(digit)/100"])
        #expect(callerEvents.all.allSatisfy { if case .failed = $0 { false } else { true } })
    }

    func close() async {
        await caller.close()
        await callee.close()
    }
}
