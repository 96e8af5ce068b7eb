import NIOConcurrencyHelpers
import TestSupport
import Testing

@testable import SIPMedia

/// Everything the playout clock writes, kept for the test to look at.
final class RecordingSink: AudioSink {
    private let samples = NIOLockedValueBox<[Int16]>([])

    func write(_ samples: [Int16]) { self.samples.withLockedValue { $0 += samples } }
    func close() {}

    var recorded: [Int16] { samples.withLockedValue { $0 } }
}

/// Tones a session reported, in order.
final class ToneLog: Sendable {
    private let tones = NIOLockedValueBox<[String]>([])

    func record(_ tone: Character, _ duration: Int) { tones.withLockedValue { $0.append("\(tone)/\(duration)") } }

    var all: [String] { tones.withLockedValue { $0 } }
}

@Suite("Opus calls")
struct OpusCallTests {
    let opusFirst = OfferAnswer(codecs: [.opus, .pcmu, .telephoneEvent])

    @Test func opusIsNotADefaultButIsNamed() throws {
        #expect(!OfferAnswer().codecs.contains(.opus))
        #expect(Codec.named("OPUS") == .opus)
        let offer = OfferAnswer().offer(address: "127.0.0.1", port: 50000)
        #expect(offer.media[0].formats == ["0", "8", "101"])
    }

    @Test func opusIsOfferedWithItsPayloadTypeAndFmtp() throws {
        let offer = opusFirst.offer(address: "127.0.0.1", port: 50000)
        let audio = offer.media[0]
        #expect(audio.formats == ["111", "0", "101", "110"])
        #expect(
            audio.rtpMaps.first
                == MediaDescription.RTPMap(payloadType: 111, encoding: "opus", clockRate: 48000, channels: 2))
        #expect(audio.fmtp(111) == "maxplaybackrate=8000;sprop-maxcapturerate=8000;useinbandfec=1")
        #expect(
            audio.rtpMaps.last
                == MediaDescription.RTPMap(payloadType: 110, encoding: "telephone-event", clockRate: 48000))
        #expect(audio.fmtp(110) == "0-16")
        #expect(try SessionDescription(parsing: offer.text) == offer)
    }

    @Test func opusFirstIsPickedAndAnsweredWithOurFmtp() throws {
        // A WebRTC-style offer: Opus at 109 with stereo fmtp, both telephone-event clocks.
        let text =
            "v=0\r\no=peer 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 109 0 8 101 126\r\na=rtpmap:109 opus/48000/2\r\n"
            + "a=fmtp:109 stereo=1;maxplaybackrate=48000\r\na=rtpmap:101 telephone-event/8000\r\n"
            + "a=rtpmap:126 telephone-event/48000\r\na=fmtp:126 0-15\r\n"
        let remote = try SessionDescription(parsing: text)
        let (answer, audio) = try opusFirst.answer(to: remote, address: "127.0.0.1", port: 50000)
        #expect(answer.media[0].formats == ["109", "0", "101", "126"])
        #expect(answer.media[0].fmtp(109) == "maxplaybackrate=8000;sprop-maxcapturerate=8000;useinbandfec=1")
        #expect(audio.codecs.map(\.encoding) == ["opus", "PCMU"])
        #expect(audio.telephoneEvent == 126)
        #expect(audio.telephoneEvents.map(\.payloadType) == [101, 126])

        // sipterm preferring G.711 picks PCMU from the same offer, with the 8 kHz events.
        let g711First = OfferAnswer(codecs: [.pcmu, .opus, .telephoneEvent])
        let (_, other) = try g711First.answer(to: remote, address: "127.0.0.1", port: 50000)
        #expect(other.codecs.map(\.encoding) == ["PCMU", "opus"])
        #expect(other.telephoneEvent == 101)

        // And the offerer accepts the answer with Opus first.
        let offer = opusFirst.offer(address: "127.0.0.1", port: 50002)
        let (reply, _) = try opusFirst.answer(to: offer, address: "127.0.0.1", port: 50000)
        let accepted = try opusFirst.accept(answer: reply, to: offer)
        #expect(accepted.codecs.first?.payloadType == 111)
        #expect(accepted.telephoneEvent == 110)
    }

    #if canImport(COpus)
        @Test func aToneAndDTMFCrossAnOpusCall() async throws {
            let sink = RecordingSink()
            let tones = ToneLog()
            let caller = try await RTPSession.open(
                localAddress: "127.0.0.1", offerAnswer: opusFirst, source: ToneGenerator.sine(frequency: 440),
                onTone: { _, _ in })
            let callee = try await RTPSession.open(
                localAddress: "127.0.0.1", offerAnswer: opusFirst, sink: sink, onTone: tones.record)
            let offer = await caller.makeOffer(direction: .sendrecv)
            let (answer, remoteHold) = try await callee.makeAnswer(to: offer, hold: false)
            #expect(!remoteHold)
            try await caller.applyAnswer(answer)
            #expect(await caller.codec == "opus")
            #expect(await callee.codec == "opus")

            try await Task.sleep(for: .milliseconds(1500))
            try await caller.sendTone("5", duration: 120)
            try await Task.sleep(for: .milliseconds(200))
            let sent = await caller.statistics()
            let received = await callee.statistics()
            await caller.close()
            await callee.close()

            #expect(sent["payload_type"] == 111)
            #expect((received["packets_received"] ?? 0) > 50)
            let audio = sink.recorded
            #expect(audio.count > 8000)
            // Past the prefetch and the encoder's start, the sine; not the DTMF's gap.
            HeardTone.expect(audio, heard: 440, forAtLeast: 0.8)
            #expect(tones.all == ["5/120"])
        }
    #endif
}
