/// A codec sipterm can use, in the order the user prefers (`[sipterm] codecs`).
public struct Codec: Sendable, Equatable {
    public var encoding: String
    public var clockRate: Int
    public var channels: Int?
    /// The RFC 3551 static payload type, when it has one.
    public var staticPayloadType: Int?
    /// The dynamic payload type an offer gives it, when that number is free.
    public var preferredPayloadType: Int?
    /// The `a=fmtp` parameters sipterm declares for it.
    public var fmtp: String?

    public init(
        encoding: String, clockRate: Int, channels: Int? = nil, staticPayloadType: Int? = nil,
        preferredPayloadType: Int? = nil, fmtp: String? = nil
    ) {
        self.encoding = encoding
        self.clockRate = clockRate
        self.channels = channels
        self.staticPayloadType = staticPayloadType
        self.preferredPayloadType = preferredPayloadType
        self.fmtp = fmtp
    }

    public static let pcmu = Codec(encoding: "PCMU", clockRate: 8000, staticPayloadType: 0)
    public static let pcma = Codec(encoding: "PCMA", clockRate: 8000, staticPayloadType: 8)
    /// RFC 7587: the rtpmap is always `opus/48000/2`, whatever is coded. sipterm codes 8 kHz
    /// narrowband mono and says so: it neither plays nor captures more than 8 kHz.
    public static let opus = Codec(
        encoding: "opus", clockRate: 48000, channels: 2, preferredPayloadType: 111,
        fmtp: "maxplaybackrate=8000;sprop-maxcapturerate=8000;useinbandfec=1")
    public static let telephoneEvent = Codec(
        encoding: "telephone-event", clockRate: 8000, preferredPayloadType: 101, fmtp: "0-16")
    /// RFC 4733 events on an Opus call's 48 kHz clock; offered and answered with Opus whenever
    /// `telephoneEvent` is in the list.
    public static let telephoneEvent48000 = Codec(
        encoding: "telephone-event", clockRate: 48000, preferredPayloadType: 110, fmtp: "0-16")

    /// A codec by its `[sipterm] codecs` name (case-insensitive), nil for one sipterm lacks.
    public static func named(_ name: String) -> Codec? {
        [pcmu, pcma, opus, telephoneEvent].first { $0.encoding.lowercased() == name.lowercased() }
    }

    var isTelephoneEvent: Bool { encoding.lowercased() == "telephone-event" }

    func matches(_ map: MediaDescription.RTPMap) -> Bool {
        map.encoding.lowercased() == encoding.lowercased() && map.clockRate == clockRate
            && (map.channels ?? 1) == (channels ?? 1)
    }
}

/// The audio a session may carry after negotiation: the payload types both sides agreed on, in
/// preference order, the DTMF payload type, where to send, and which way.
public struct NegotiatedAudio: Sendable, Equatable {
    public var codecs: [MediaDescription.RTPMap]
    /// The telephone-event payload type to send DTMF with: the one on the first codec's clock.
    public var telephoneEvent: Int?
    public var remoteAddress: String
    public var remotePort: Int
    public var direction: Direction
    /// Every telephone-event both sides agreed on (a peer may send events with any of them).
    public var telephoneEvents: [MediaDescription.RTPMap] = []
    /// The SRTP keys of an SDES stream; nil for RTP/AVP and for DTLS-SRTP (keyed on the path).
    public var srtp: SRTPKeys? = nil
    /// The DTLS handshake that keys a DTLS-SRTP stream.
    public var dtls: DTLSParameters? = nil
    /// RTCP on the RTP port (RFC 5761): both sides said `a=rtcp-mux`.
    public var rtcpMux = false
    /// The peer's ICE, when its SDP has it (then media waits for a checked pair).
    public var ice: ICERemote? = nil

    /// The telephone-event for the first codec: on its clock if there is one, else the first.
    static func event(
        _ events: [MediaDescription.RTPMap], for codecs: [MediaDescription.RTPMap]
    ) -> MediaDescription.RTPMap? {
        events.first { $0.clockRate == codecs.first?.clockRate } ?? events.first
    }
}

/// RFC 3264 offer/answer for one audio stream, with sipterm's codec preferences.
public struct OfferAnswer: Sendable {
    public var codecs: [Codec]
    public var ptime: Int
    /// What sipterm offers; an offer it answers keeps its own profile.
    public var profile: MediaProfile
    /// Whether SDES keys may be put in this call's SDP: false when the signalling is not
    /// encrypted and the user has not allowed it, and then an SDES offer's stream is refused.
    public var allowsSDES: Bool
    /// The identity a DTLS-SRTP stream is offered and answered with; without one (it could not
    /// be made) DTLS-SRTP offers are refused.
    public var certificate: DTLSCertificate?

    public init(
        codecs: [Codec] = [.pcmu, .pcma, .telephoneEvent], ptime: Int = 20, profile: MediaProfile = .plain,
        allowsSDES: Bool = true, certificate: DTLSCertificate? = DTLSCertificate.perRun
    ) {
        self.codecs = codecs
        self.ptime = ptime
        self.profile = profile
        self.allowsSDES = allowsSDES
        self.certificate = certificate
    }

    /// The codecs as offered and answered: with a 48 kHz codec (Opus) and telephone-event in the
    /// list, telephone-event on the 48 kHz clock as well, right after the 8 kHz one.
    var effectiveCodecs: [Codec] {
        guard codecs.contains(where: { !$0.isTelephoneEvent && $0.clockRate == 48000 }),
            !codecs.contains(where: { $0.isTelephoneEvent && $0.clockRate == 48000 }),
            let index = codecs.firstIndex(where: { $0.isTelephoneEvent })
        else { return codecs }
        var result = codecs
        result.insert(.telephoneEvent48000, at: index + 1)
        return result
    }

    /// An offer for audio at `address:port`. A re-offer passes the previous description so that
    /// the session ID stays and the version grows (RFC 3264 §8).
    public func offer(
        address: String, port: Int, direction: Direction = .sendrecv, previous: SessionDescription? = nil
    ) -> SessionDescription {
        let chosen = effectiveCodecs
        var used = Set(chosen.compactMap(\.staticPayloadType))
        var formats: [(MediaDescription.RTPMap, String?)] = []
        var next = 96
        for codec in chosen {
            var type = codec.staticPayloadType
            if type == nil, let preferred = codec.preferredPayloadType, !used.contains(preferred) { type = preferred }
            if type == nil {
                while used.contains(next) || chosen.contains(where: { $0.preferredPayloadType == next }) { next += 1 }
                type = next
            }
            let payloadType = type ?? next
            used.insert(payloadType)
            formats.append(
                (
                    MediaDescription.RTPMap(
                        payloadType: payloadType, encoding: codec.encoding, clockRate: codec.clockRate,
                        channels: codec.channels), codec.fmtp
                ))
        }
        var offer = description(
            address: address, port: port, formats: formats, direction: direction, previous: previous)
        guard !offer.media.isEmpty else { return offer }
        switch profile {
        case .plain:
            break
        case .sdes:
            offer.media[0].proto = profile.offerProto
            let lines = SDESNegotiation.offerLines(previous: previous?.media.first { $0.media == "audio" })
            offer.media[0].attributes.insert(contentsOf: lines.map { .init("crypto", $0.attributeValue) }, at: 0)
        case .dtls, .webrtc:
            guard let certificate else { break }
            offer.media[0].proto = profile.offerProto
            offer.media[0].attributes.insert(
                contentsOf: DTLSNegotiation.offerAttributes(certificate: certificate), at: 0)
            if profile == .webrtc {
                offer.media[0].attributes.insert(.init("mid", "0"), at: 0)
                offer.attributes += [.init("group", "BUNDLE 0"), .init("msid-semantic", " WMS sipterm")]
            }
        }
        return offer
    }

    /// The answer to an offer: the first audio stream is accepted with the codecs both support
    /// (the offer's payload numbers, sipterm's order), every other stream is refused with port 0.
    /// Throws when no audio codec is shared (a UAS answers 488).
    public func answer(
        to offer: SessionDescription, address: String, port: Int, hold: Bool = false,
        previous: SessionDescription? = nil
    ) throws(SDPError) -> (SessionDescription, NegotiatedAudio) {
        var answer = description(address: address, port: port, formats: [], direction: .sendrecv, previous: previous)
        answer.media = []
        var negotiated: NegotiatedAudio?
        var refusal: SDPError?
        let previousAudio = previous?.media.first { $0.media == "audio" }
        for offered in offer.media {
            let maps = offered.rtpMaps
            let pairs = effectiveCodecs.compactMap { codec in maps.first { codec.matches($0) }.map { (codec, $0) } }
            let shared = pairs.map(\.1)
            let audio = shared.filter { $0.encoding.lowercased() != "telephone-event" }
            var security = StreamSecurity()
            var usable = negotiated == nil && offered.media == "audio" && offered.port != 0 && !audio.isEmpty
            if usable {
                do throws(SDPError) {
                    security = try secure(offered, in: offer, previous: previousAudio)
                } catch {
                    refusal = refusal ?? error
                    usable = false
                }
            }
            guard usable else {
                var refused = MediaDescription(
                    media: offered.media, port: 0, proto: offered.proto, formats: offered.formats)
                refused.attributes = []
                answer.media.append(refused)
                continue
            }
            let offeredDirection = offered.direction ?? offer.direction ?? .sendrecv
            var direction = offeredDirection.answer
            // On hold sipterm stops receiving: whatever it would take in is dropped from the answer.
            if hold { direction = direction.sends ? .sendonly : .inactive }
            var media = MediaDescription(
                port: port, proto: offered.proto, formats: shared.map { String($0.payloadType) },
                attributes: shared.map { SessionDescription.Attribute("rtpmap", $0.attributeValue) })
            media.attributes.insert(contentsOf: security.attributes, at: 0)
            for (codec, map) in pairs {
                // Opus parameters describe what their sender can receive (RFC 7587 §7): sipterm
                // states its own; the others (telephone-event's events) are echoed.
                let fmtp = codec.encoding.lowercased() == "opus" ? codec.fmtp : offered.fmtp(map.payloadType)
                if let fmtp { media.attributes.append(.init("fmtp", "\(map.payloadType) \(fmtp)")) }
            }
            media.attributes.append(.init("ptime", String(ptime)))
            media.setDirection(direction)
            if let group = ICENegotiation.echoMid(offered: offered, offer: offer, into: &media) {
                answer.attributes.append(group)
            }
            answer.media.append(media)
            guard let remote = offered.connection ?? offer.connection else {
                throw SDPError("offered audio has no connection address")
            }
            let events = shared.filter { $0.encoding.lowercased() == "telephone-event" }
            negotiated = NegotiatedAudio(
                codecs: audio, telephoneEvent: NegotiatedAudio.event(events, for: audio)?.payloadType,
                remoteAddress: remote.address, remotePort: offered.port, direction: direction, telephoneEvents: events,
                srtp: security.srtp, dtls: security.dtls, rtcpMux: security.rtcpMux,
                ice: ICENegotiation.remote(offered, session: offer))
        }
        guard let negotiated else { throw refusal ?? SDPError("no audio codec in common with the offer") }
        return (answer, negotiated)
    }

    /// What an answer to our offer settles: the answer's codecs (which must be ones we offered).
    public func accept(answer: SessionDescription, to offer: SessionDescription) throws(SDPError) -> NegotiatedAudio {
        guard let ours = offer.media.first(where: { $0.media == "audio" }),
            let index = offer.media.firstIndex(where: { $0.media == "audio" }), index < answer.media.count
        else { throw SDPError("the answer has no audio stream for the offer's") }
        let theirs = answer.media[index]
        guard theirs.port != 0 else { throw SDPError("the audio stream was refused (port 0)") }
        let offeredTypes = Set(ours.rtpMaps.map(\.payloadType))
        let maps = theirs.rtpMaps.filter { offeredTypes.contains($0.payloadType) }
        let audio = maps.filter { $0.encoding.lowercased() != "telephone-event" }
        guard !audio.isEmpty else { throw SDPError("the answer has no codec that was offered") }
        guard let remote = theirs.connection ?? answer.connection else {
            throw SDPError("the answer has no connection address")
        }
        let events = maps.filter { $0.encoding.lowercased() == "telephone-event" }
        var keys: SRTPKeys?
        var dtls: DTLSParameters?
        let offered = MediaProfile(ours)
        if offered != .plain {
            guard MediaProfile(theirs) == offered else {
                throw SDPError("the peer answered the \(ours.proto) offer with \(theirs.proto)")
            }
        }
        switch offered {
        case .sdes?: keys = try SDESNegotiation.accept(answer: theirs, offer: ours)
        case .dtls?:
            guard let certificate else { throw SDPError("DTLS: no certificate to answer the handshake with") }
            dtls = try DTLSNegotiation.accept(answer: theirs, session: answer, certificate: certificate)
        case .plain?, .webrtc?, nil: break
        }
        let mux = [ours, theirs].allSatisfy { $0.attributes.contains { $0.name == "rtcp-mux" } }
        return NegotiatedAudio(
            codecs: audio, telephoneEvent: NegotiatedAudio.event(events, for: audio)?.payloadType,
            remoteAddress: remote.address, remotePort: theirs.port,
            direction: theirs.direction ?? answer.direction ?? .sendrecv, telephoneEvents: events, srtp: keys,
            dtls: dtls, rtcpMux: mux, ice: ICENegotiation.remote(theirs, session: answer))
    }

    /// An offered audio stream's security as the answer takes it: nothing for RTP/AVP, an SDES
    /// line and keys for RTP/SAVP, the DTLS attributes and handshake for UDP/TLS/RTP/SAVP;
    /// throws (and the stream is refused) for what sipterm cannot or may not answer.
    private func secure(
        _ offered: MediaDescription, in offer: SessionDescription, previous: MediaDescription?
    ) throws(SDPError) -> StreamSecurity {
        switch MediaProfile(offered) {
        case .plain?:
            return StreamSecurity()
        case .sdes?:
            guard allowsSDES else {
                throw SDPError(
                    "an SDES-SRTP offer over unencrypted signalling: its keys are readable on the path (use TLS or WSS, or set sdes_unencrypted_signalling)"
                )
            }
            let (line, keys) = try SDESNegotiation.answer(offered, previous: previous)
            return StreamSecurity(attributes: [.init("crypto", line.attributeValue)], srtp: keys)
        case .dtls?, .webrtc?:
            guard let certificate else { throw SDPError("DTLS: no certificate could be made for this run") }
            let (attributes, parameters) = try DTLSNegotiation.answer(
                offered, session: offer, certificate: certificate)
            return StreamSecurity(
                attributes: attributes, dtls: parameters, rtcpMux: attributes.contains { $0.name == "rtcp-mux" })
        case nil:
            throw SDPError("the offer's \(offered.proto) is not a media transport sipterm speaks")
        }
    }

    private func description(
        address: String, port: Int, formats: [(MediaDescription.RTPMap, String?)], direction: Direction,
        previous: SessionDescription?
    ) -> SessionDescription {
        let connection = SessionDescription.ConnectionData(
            addressType: address.contains(":") ? "IP6" : "IP4", address: address)
        let origin = SessionDescription.Origin(
            username: "sipterm", sessionID: previous?.origin.sessionID ?? String(UInt32.random(in: 1...UInt32.max)),
            sessionVersion: (previous?.origin.sessionVersion ?? 0) + 1, address: connection)
        var media = MediaDescription(port: port, formats: formats.map { String($0.0.payloadType) })
        for (map, fmtp) in formats {
            media.attributes.append(.init("rtpmap", map.attributeValue))
            if let fmtp { media.attributes.append(.init("fmtp", "\(map.payloadType) \(fmtp)")) }
        }
        media.attributes.append(.init("ptime", String(ptime)))
        media.setDirection(direction)
        return SessionDescription(origin: origin, sessionName: "sipterm", connection: connection, media: [media])
    }
}

/// What securing one answered stream adds to the answer and hands to the engine.
struct StreamSecurity {
    var attributes: [SessionDescription.Attribute] = []
    var srtp: SRTPKeys? = nil
    var dtls: DTLSParameters? = nil
    var rtcpMux = false
}
