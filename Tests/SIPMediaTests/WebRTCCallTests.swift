import NIOCore
import NIOPosix
import Testing

@testable import SIPMedia

/// A STUN server on loopback for gathering tests: it answers Binding requests with the address
/// `reporting` (a NAT's public side), or never answers when that is nil.
final class LoopbackSTUNServer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let reporting: SocketAddress?
    private(set) var channel: (any Channel)?

    init(reporting: SocketAddress?) { self.reporting = reporting }

    func start() async throws -> SocketAddress {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(self) }
            .bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        return try #require(channel.localAddress)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let reporting, let request = try? STUNMessage(parsing: Array(envelope.data.readableBytesView)) else {
            return
        }
        var response = STUNMessage(.success, transactionID: request.transactionID)
        if let mapped = response.xorAddress(reporting) { response.add(STUNMessage.Attribute.xorMappedAddress, mapped) }
        let bytes = response.encoded(integrityKey: nil)
        context.writeAndFlush(
            wrapOutboundOut(
                AddressedEnvelope(
                    remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: bytes))),
            promise: nil)
    }

    func stop() async { try? await channel?.close() }
}

@Suite("WebRTC calls: ICE + DTLS-SRTP + rtcp-mux + BUNDLE")
struct WebRTCCallTests {
    static let webrtc = OfferAnswer(codecs: [.opus, .pcmu, .telephoneEvent], profile: .webrtc)

    @Test func anOfferLooksLikeABrowsersAndTheAnswerEchoesMidAndBundle() async throws {
        let caller = try await RTPSession.open(localAddress: "127.0.0.1", offerAnswer: Self.webrtc, onTone: { _, _ in })
        let callee = try await RTPSession.open(localAddress: "127.0.0.1", onTone: { _, _ in })
        let offerText = await caller.makeOffer(direction: .sendrecv)
        let offer = try SessionDescription(parsing: offerText)
        let audio = try #require(offer.media.first)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        for name in [
            "mid", "ice-ufrag", "ice-pwd", "candidate", "end-of-candidates", "fingerprint", "setup", "rtcp-mux", "msid",
            "ssrc",
        ] {
            #expect(audio.attributes.contains { $0.name == name }, "no a=\(name)")
        }
        #expect(offer.attributes.contains(.init("group", "BUNDLE 0")))
        let (answerText, _) = try await callee.makeAnswer(to: offerText, hold: false)
        let answer = try SessionDescription(parsing: answerText)
        #expect(answer.attributes.contains(.init("group", "BUNDLE 0")))
        let answered = try #require(answer.media.first)
        #expect(answered.attributes.contains(.init("mid", "0")))
        #expect(answered.attributes.contains { $0.name == "ice-ufrag" })
        #expect(answered.attributes.contains(.init("setup", "active")))
        await caller.close()
        await callee.close()
    }

    @Test func toneAndDTMFCrossAnICEAndDTLSCall() async throws {
        let call = try await InProcessCall(Self.webrtc)
        try await call.negotiate()
        _ = try await call.callerEvents.first(within: 5) { if case .secured = $0 { true } else { false } }
        #expect(
            call.callerEvents.all.contains {
                if case .progress(let text) = $0 { text.hasPrefix("ICE: connected, host 127.0.0.1:") } else { false }
            })
        #expect(await call.caller.security?.contains(", ICE host 127.0.0.1:") == true)
        try await call.expectToneAndDTMF("9")
    }

    @Test func aSTUNServerGivesAServerReflexiveCandidate() async throws {
        let server = LoopbackSTUNServer(reporting: try SocketAddress(ipAddress: "127.0.0.1", port: 4242))
        let address = try await server.start()
        let session = try await RTPSession.open(
            localAddress: "127.0.0.1", offerAnswer: Self.webrtc, stunServers: [address], onTone: { _, _ in })
        let offer = try SessionDescription(parsing: await session.makeOffer(direction: .sendrecv))
        await session.close()
        await server.stop()
        let candidates = offer.media[0].attributes.filter { $0.name == "candidate" }.compactMap {
            $0.value.flatMap(ICECandidate.init(sdpValue:))
        }
        #expect(candidates.map(\.kind) == [.host, .host, .srflx], "host on 127.0.0.1 and ::1, then srflx")
        #expect(candidates.last?.port == 4242)
        #expect(candidates.last?.relatedPort == session.localPort)
    }

    @Test func aSTUNServerThatNeverAnswersCostsTheGatheringTimeoutAndNoMore() async throws {
        let server = LoopbackSTUNServer(reporting: nil)
        let address = try await server.start()
        let session = try await RTPSession.open(
            localAddress: "127.0.0.1", offerAnswer: Self.webrtc, stunServers: [address],
            gatheringTimeout: .milliseconds(800), onTone: { _, _ in })
        let start = ContinuousClock.now
        let offer = try SessionDescription(parsing: await session.makeOffer(direction: .sendrecv))
        let took = ContinuousClock.now - start
        await session.close()
        await server.stop()
        #expect(took >= .milliseconds(750))
        // Without the timeout, gathering would wait out STUN's retransmissions (7.9 s and more);
        // the margin above the 800 ms is for a loaded test run, not for the code.
        #expect(took < .seconds(4), "offer took \(took)")
        #expect(!offer.media[0].attributes.contains { $0.name == "candidate" && $0.value?.contains("srflx") == true })
    }

    @Test func everyInterfaceGetsAHostCandidateOnItsOwnSocket() async throws {
        let others = ICEInterfaces.otherAddresses(besides: "127.0.0.1")
        try #require(others == ["::1"], "loopback calls add ::1 and nothing else (this machine: \(others))")
        #expect(ICEInterfaces.otherAddresses(besides: "::1") == ["127.0.0.1"])
        #expect(!ICEInterfaces.otherAddresses(besides: "192.0.2.9").contains { ICEInterfaces.isLoopback($0) })
        #expect(!ICEInterfaces.otherAddresses(besides: "192.0.2.9").contains { ICEInterfaces.isLinkLocal($0) })
        let session = try await RTPSession.open(
            localAddress: "127.0.0.1", offerAnswer: Self.webrtc, onTone: { _, _ in })
        let offer = try SessionDescription(parsing: await session.makeOffer(direction: .sendrecv))
        await session.close()
        let hosts = offer.media[0].attributes.filter { $0.name == "candidate" }.compactMap {
            $0.value.flatMap(ICECandidate.init(sdpValue:))
        }
        #expect(hosts.map(\.address) == ["127.0.0.1", "::1"])
        #expect(hosts[1].port != 0 && Set(hosts.map(\.foundation)).count == 2)
        #expect(hosts[0].priority > hosts[1].priority, "the call's own address first")
    }

    @Test func aPeerReachableOnlyOverIPv6GetsTheCallOnTheIPv6Socket() async throws {
        let call = try await InProcessCall(Self.webrtc)
        // Both sides' IPv4 candidates are dropped from the SDP: only the ::1 sockets can meet.
        func ipv6Only(_ sdp: String) -> String {
            sdp.split(separator: "\r\n", omittingEmptySubsequences: false)
                .filter { !($0.hasPrefix("a=candidate:") && $0.contains(" 127.0.0.1 ")) }.joined(separator: "\r\n")
        }
        let offer = ipv6Only(await call.caller.makeOffer(direction: .sendrecv))
        let (answer, _) = try await call.callee.makeAnswer(to: offer, hold: false)
        try await call.caller.applyAnswer(ipv6Only(answer))
        _ = try await call.callerEvents.first(within: 5) { if case .secured = $0 { true } else { false } }
        let security = await call.caller.security ?? "none"
        #expect(security.contains(", ICE host ::1:") && security.contains("↔ host ::1:"), "security \(security)")
        try await call.expectToneAndDTMF("3")
    }

    @Test func noWorkingPairEndsTheMediaWithAnICECause() async throws {
        let call = try await InProcessCall(Self.webrtc)
        let port = call.callee.localPort
        await call.callee.close()
        // The answer's candidates are ports nothing listens on.
        try await call.negotiate { $0.replacing(#/ [0-9]+ typ host/#, with: " 9 typ host") }
        _ = port
        let failure = try await call.callerEvents.first(within: 12) { if case .failed = $0 { true } else { false } }
        await call.close()
        guard case .failed(let reason)? = failure else {
            Issue.record("no ICE failure: \(call.callerEvents.all)")
            return
        }
        #expect(reason.hasPrefix("ICE: no candidate pair worked"))
    }
}
