import NIOConcurrencyHelpers
import Testing

@testable import SIPMedia

/// What a session's media reported on its own, in order.
final class MediaEventLog: Sendable {
    private let events = NIOLockedValueBox<[MediaEvent]>([])

    func record(_ event: MediaEvent) { events.withLockedValue { $0.append(event) } }

    var all: [MediaEvent] { events.withLockedValue { $0 } }

    /// Waits (polling) until an event matches, up to `seconds`; the event, or nil.
    func first(within seconds: Double, where matches: (MediaEvent) -> Bool) async throws -> MediaEvent? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let event = all.first(where: matches) { return event }
            try await Task.sleep(for: .milliseconds(20))
        }
        return all.first(where: matches)
    }
}

@Suite("DTLS-SRTP calls (RFC 5763/5764, RFC 8842)")
struct DTLSCallTests {
    static let dtls = OfferAnswer(codecs: [.pcmu, .telephoneEvent], profile: .dtls)

    @Test func anOfferIsActpassWithOurFingerprintAndTheAnswerTakesActive() throws {
        let certificate = try #require(DTLSCertificate.perRun)
        let offer = Self.dtls.offer(address: "127.0.0.1", port: 40000)
        let audio = try #require(offer.media.first)
        #expect(audio.proto == "UDP/TLS/RTP/SAVP")
        #expect(audio.attributes.contains(.init("fingerprint", certificate.fingerprint.sdpValue)))
        #expect(audio.attributes.contains(.init("setup", "actpass")))
        #expect(audio.attributes.contains(.init("rtcp-mux")))
        #expect(!audio.attributes.contains { $0.name == "crypto" })

        let (answer, negotiated) = try OfferAnswer().answer(to: offer, address: "127.0.0.1", port: 40002)
        let answered = try #require(answer.media.first)
        #expect(answered.proto == "UDP/TLS/RTP/SAVP")
        #expect(answered.attributes.contains(.init("setup", "active")))
        #expect(answered.attributes.contains(.init("rtcp-mux")))
        #expect(negotiated.dtls?.role == .client)
        #expect(negotiated.rtcpMux)

        let accepted = try Self.dtls.accept(answer: answer, to: offer)
        #expect(accepted.dtls?.role == .server)
        #expect(accepted.dtls?.peerFingerprint == certificate.fingerprint)
        #expect(accepted.rtcpMux)
    }

    @Test func setupRolesFollowRFC8842() throws {
        func role(answering setup: String?) throws -> DTLSRole? {
            let certificate = try #require(DTLSCertificate.perRun)
            var offer = Self.dtls.offer(address: "127.0.0.1", port: 40000)
            offer.media[0].attributes.removeAll { $0.name == "setup" }
            if let setup { offer.media[0].attributes.append(.init("setup", setup)) }
            _ = certificate
            return try OfferAnswer().answer(to: offer, address: "127.0.0.1", port: 1).1.dtls?.role
        }
        #expect(try role(answering: "actpass") == .client)
        #expect(try role(answering: "passive") == .client)
        #expect(try role(answering: "active") == .server)
        // RFC 4145 §4: no a=setup means active.
        #expect(try role(answering: nil) == .server)
        #expect(throws: SDPError.self) { try role(answering: "holdconn") }
    }

    @Test func aSessionLevelFingerprintIsUsedAndAMissingOneIsRefused() throws {
        var offer = Self.dtls.offer(address: "127.0.0.1", port: 40000)
        let line = try #require(offer.media[0].attributes.first { $0.name == "fingerprint" })
        offer.media[0].attributes.removeAll { $0.name == "fingerprint" }
        do {
            _ = try OfferAnswer().answer(to: offer, address: "127.0.0.1", port: 1)
            Issue.record("a DTLS offer without a fingerprint was answered")
        } catch {
            #expect(error.description.contains("DTLS: "))
        }
        offer.attributes.append(line)
        let negotiated = try OfferAnswer().answer(to: offer, address: "127.0.0.1", port: 1).1
        #expect(negotiated.dtls?.peerFingerprint.sdpValue == line.value)
    }

    @Test func toneAndDTMFCrossADTLSCallOnOneSocket() async throws {
        let call = try await InProcessCall(Self.dtls)
        try await call.negotiate()
        let secured = try await call.callerEvents.first(within: 5) { if case .secured = $0 { true } else { false } }
        #expect(secured == .secured("SRTP (DTLS AEAD_AES_128_GCM)"))
        #expect(try await call.calleeEvents.first(within: 5) { if case .secured = $0 { true } else { false } } != nil)
        #expect(await call.caller.security == "SRTP (DTLS AEAD_AES_128_GCM)")
        #expect(await call.callee.security == "SRTP (DTLS AEAD_AES_128_GCM)")
        try await call.expectToneAndDTMF("5")
    }

    @Test func aCertificateThatIsNotTheFingerprintsFailsTheCallAndSendsNothing() async throws {
        let call = try await InProcessCall(Self.dtls)
        // Someone on the signalling path swapped the answer's fingerprint for their own.
        let other = try DTLSCertificate()
        let real = try #require(DTLSCertificate.perRun?.fingerprint.sdpValue)
        try await call.negotiate { $0.replacing(real, with: other.fingerprint.sdpValue) }
        let failure = try await call.callerEvents.first(within: 5) { if case .failed = $0 { true } else { false } }
        guard case .failed(let reason)? = failure else {
            Issue.record("no DTLS failure within 5 s: \(call.callerEvents.all)")
            await call.close()
            return
        }
        #expect(reason.hasPrefix("DTLS:"))
        #expect(reason.contains("fingerprint"))
        try await Task.sleep(for: .milliseconds(300))
        let callerStats = await call.caller.statistics()
        let calleeStats = await call.callee.statistics()
        #expect(await call.caller.security?.hasPrefix("none (DTLS:") == true)
        await call.close()
        #expect(callerStats["packets_sent"] == 0)
        #expect(callerStats["packets_received"] == 0)
        #expect(calleeStats["packets_received"] == 0)
        #expect(call.calleeEvents.all.allSatisfy { if case .secured = $0 { false } else { true } })
    }
}
