import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import SIPMedia

@Suite("SDES-SRTP (RFC 4568)")
struct SDESTests {
    @Test func base64RoundTripsAndRefusesJunk() {
        for length in 0..<35 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Substring(Base64.encode(bytes))) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm9v!mFy") == nil)
        #expect(Base64.decode("Z") == nil)
    }

    @Test func cryptoLinesParseAsRFC4568WritesThem() throws {
        let line = "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20"
        let crypto = try #require(SDESCrypto(attributeValue: line))
        #expect(crypto.tag == 1)
        #expect(crypto.profile == .aesCM128HMACSHA1_80)
        #expect(crypto.key.count == 30)
        #expect(SDESCrypto(attributeValue: crypto.attributeValue) == crypto)
        // What sipterm cannot use does not parse: an answerer passes it over.
        #expect(SDESCrypto(attributeValue: line + "|1:4") == nil, "an MKI")
        #expect(
            SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4")
                == nil)
        #expect(
            SDESCrypto(attributeValue: "1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR") == nil)
        #expect(SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:AAAA") == nil, "a short key")
        #expect(SDESCrypto(attributeValue: line + " UNENCRYPTED_SRTP") == nil, "a session parameter")
        #expect(
            SDESCrypto(
                attributeValue:
                    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR;inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
            ) == nil)
        let gcm = SDESCrypto.generate(tag: 2, profile: .aeadAES128GCM)
        #expect(gcm.key.count == 28)
        #expect(SDESCrypto(attributeValue: gcm.attributeValue) == gcm)
    }

    static let sdes = OfferAnswer(profile: .sdes)

    @Test func anSDESOfferCarriesOneLinePerSuiteAndTheAnswerPicksTheFirst() throws {
        let offer = Self.sdes.offer(address: "127.0.0.1", port: 4000)
        let audio = try #require(offer.media.first)
        #expect(audio.proto == "RTP/SAVP")
        let lines = SDESNegotiation.cryptos(in: audio)
        #expect(lines.map(\.profile) == SRTPProfile.all)
        #expect(lines.map(\.tag) == [1, 2, 3])

        let parsed = try SessionDescription(parsing: offer.text)
        let (answer, negotiated) = try OfferAnswer().answer(to: parsed, address: "127.0.0.1", port: 5000)
        #expect(answer.media.first?.proto == "RTP/SAVP")
        let answered = try #require(answer.media.first)
        let chosen = try #require(SDESNegotiation.cryptos(in: answered).first)
        #expect(chosen.tag == 1)
        #expect(chosen.profile == .aesCM128HMACSHA1_80)
        let keys = try #require(negotiated.srtp)
        #expect(keys.remote == lines[0].key)
        #expect(keys.local == chosen.key)
        #expect(keys.local != keys.remote)

        let accepted = try Self.sdes.accept(answer: try SessionDescription(parsing: answer.text), to: offer)
        #expect(accepted.srtp == SRTPKeys(profile: .aesCM128HMACSHA1_80, local: keys.remote, remote: keys.local))
    }

    @Test func theAnswererTakesTheOfferersFirstUsableLine() throws {
        let offer = """
            v=0\r
            o=- 1 1 IN IP4 127.0.0.1\r
            s=-\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=audio 4000 RTP/SAVP 0\r
            a=crypto:5 AES_256_CM_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBRPS1uQCVeeCFCanVmcjkpPw==\r
            a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r
            a=crypto:8 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r

            """
        let (answer, negotiated) = try OfferAnswer().answer(
            to: try SessionDescription(parsing: offer), address: "127.0.0.1", port: 5000)
        let answered = try #require(answer.media.first)
        let line = try #require(SDESNegotiation.cryptos(in: answered).first)
        #expect(line.tag == 7)
        #expect(negotiated.srtp?.profile == .aesCM128HMACSHA1_32)
        #expect(answer.media.first?.attributes.filter { $0.name == "crypto" }.count == 1)
    }

    static func offer(proto: String, extra: String = "") -> SessionDescription? {
        try? SessionDescription(
            parsing:
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 \(proto) 0\r\n\(extra)"
        )
    }

    @Test func offersSipterm_cannotOrMayNotAnswer_sayWhy() throws {
        let key = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"
        let insecure = OfferAnswer(allowsSDES: false)
        let sdesOffer = try #require(Self.offer(proto: "RTP/SAVP", extra: key))
        #expect(throws: SDPError.self) { try insecure.answer(to: sdesOffer, address: "127.0.0.1", port: 1) }
        do {
            _ = try insecure.answer(to: sdesOffer, address: "127.0.0.1", port: 1)
        } catch {
            #expect(error.description.contains("unencrypted signalling"))
        }
        let noKey = try #require(Self.offer(proto: "RTP/SAVP"))
        do {
            _ = try OfferAnswer().answer(to: noKey, address: "127.0.0.1", port: 1)
            Issue.record("an SRTP offer without keys was answered")
        } catch {
            #expect(error.description.contains("a=crypto"))
        }
        let dtls = try #require(
            Self.offer(proto: "UDP/TLS/RTP/SAVPF", extra: "a=fingerprint:md5 AB:CD\r\na=setup:actpass\r\n"))
        do {
            _ = try OfferAnswer().answer(to: dtls, address: "127.0.0.1", port: 1)
            Issue.record("a DTLS-SRTP offer with a fingerprint sipterm cannot check was answered")
        } catch {
            #expect(error.description.contains("DTLS"))
        }
        // A plain offer is answered plainly whatever sipterm itself would offer.
        let plain = try #require(Self.offer(proto: "RTP/AVP"))
        let (answer, negotiated) = try Self.sdes.answer(to: plain, address: "127.0.0.1", port: 1)
        #expect(answer.media.first?.proto == "RTP/AVP")
        #expect(negotiated.srtp == nil)
    }

    @Test func anAnswerMustAnswerTheOfferedKeys() throws {
        let offer = Self.sdes.offer(address: "127.0.0.1", port: 4000)
        let plainAnswer = try #require(Self.offer(proto: "RTP/AVP"))
        #expect(throws: SDPError.self) { try Self.sdes.accept(answer: plainAnswer, to: offer) }
        let unknownTag = try #require(
            Self.offer(
                proto: "RTP/SAVP",
                extra: "a=crypto:9 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"))
        #expect(throws: SDPError.self) { try Self.sdes.accept(answer: unknownTag, to: offer) }
    }

    @Test func aReOfferKeepsItsKeys() throws {
        let first = Self.sdes.offer(address: "127.0.0.1", port: 4000)
        let again = Self.sdes.offer(address: "127.0.0.1", port: 4000, direction: .sendonly, previous: first)
        let firstAudio = try #require(first.media.first)
        let againAudio = try #require(again.media.first)
        let before = SDESNegotiation.cryptos(in: firstAudio)
        let after = SDESNegotiation.cryptos(in: againAudio)
        #expect(before == after)
        #expect(again.origin.sessionVersion == first.origin.sessionVersion + 1)
    }

    #if canImport(COpus)
        @Test func toneAndDTMFCrossAnSDESCallAndForgedPacketsAreCounted() async throws {
            let sink = RecordingSink()
            let tones = ToneLog()
            let caller = try await RTPSession.open(
                localAddress: "127.0.0.1", offerAnswer: Self.sdes, source: ToneGenerator.sine(frequency: 440),
                onTone: { _, _ in })
            let callee = try await RTPSession.open(localAddress: "127.0.0.1", sink: sink, onTone: tones.record)
            let offer = await caller.makeOffer(direction: .sendrecv)
            let (answer, _) = try await callee.makeAnswer(to: offer, hold: false)
            try await caller.applyAnswer(answer)
            #expect(await caller.security == "SRTP (SDES AES_CM_128_HMAC_SHA1_80)")
            #expect(await callee.security == "SRTP (SDES AES_CM_128_HMAC_SHA1_80)")
            // Packets in the clear, as someone on the path would inject them: refused, counted,
            // and they do not take over where the answer goes (symmetric RTP learns only from
            // packets that authenticate).
            let forger = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            let target = try SocketAddress(ipAddress: "127.0.0.1", port: callee.localPort)
            for sequence in UInt16(1)...5 {
                let forged = SRTPTests.rtp(sequence)
                try await forger.writeAndFlush(
                    AddressedEnvelope(remoteAddress: target, data: forger.allocator.buffer(bytes: forged)))
            }
            try await Task.sleep(for: .milliseconds(1200))
            try await caller.sendTone("7", duration: 100)
            try await Task.sleep(for: .milliseconds(200))
            let received = await callee.statistics()
            await caller.close()
            await callee.close()
            try await forger.close()
            #expect((received["packets_received"] ?? 0) > 40)
            #expect(received["srtp_auth_failures"] == 5)
            let audio = sink.recorded
            HeardTone.expect(audio, heard: 440, forAtLeast: 0.6)
            #expect(tones.all == ["7/100"])
        }
    #endif
}
