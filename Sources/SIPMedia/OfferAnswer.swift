/// A codec sipterm can use, in the order the user prefers (`[sipterm] codecs`).
public struct Codec: Sendable, Equatable {
    public var encoding: String
    public var clockRate: Int
    public var channels: Int?
    /// The RFC 3551 static payload type, when it has one.
    public var staticPayloadType: Int?

    public init(encoding: String, clockRate: Int, channels: Int? = nil, staticPayloadType: Int? = nil) {
        self.encoding = encoding
        self.clockRate = clockRate
        self.channels = channels
        self.staticPayloadType = staticPayloadType
    }

    public static let pcmu = Codec(encoding: "PCMU", clockRate: 8000, staticPayloadType: 0)
    public static let pcma = Codec(encoding: "PCMA", clockRate: 8000, staticPayloadType: 8)
    public static let telephoneEvent = Codec(encoding: "telephone-event", clockRate: 8000)

    /// A codec by its `[sipterm] codecs` name (case-insensitive), nil for one sipterm lacks.
    public static func named(_ name: String) -> Codec? {
        [pcmu, pcma, telephoneEvent].first { $0.encoding.lowercased() == name.lowercased() }
    }

    func matches(_ map: MediaDescription.RTPMap) -> Bool {
        map.encoding.lowercased() == encoding.lowercased() && map.clockRate == clockRate
            && (map.channels ?? 1) == (channels ?? 1)
    }
}

/// The audio a session may carry after negotiation: the payload types both sides agreed on, in
/// preference order, the DTMF payload type, where to send, and which way.
public struct NegotiatedAudio: Sendable, Equatable {
    public var codecs: [MediaDescription.RTPMap]
    public var telephoneEvent: Int?
    public var remoteAddress: String
    public var remotePort: Int
    public var direction: Direction
}

/// RFC 3264 offer/answer for one audio stream, with sipterm's codec preferences.
public struct OfferAnswer: Sendable {
    public var codecs: [Codec]
    public var ptime: Int

    public init(codecs: [Codec] = [.pcmu, .pcma, .telephoneEvent], ptime: Int = 20) {
        self.codecs = codecs
        self.ptime = ptime
    }

    /// An offer for audio at `address:port`. A re-offer passes the previous description so that
    /// the session ID stays and the version grows (RFC 3264 §8).
    public func offer(
        address: String, port: Int, direction: Direction = .sendrecv, previous: SessionDescription? = nil
    ) -> SessionDescription {
        var next = 96
        var maps: [MediaDescription.RTPMap] = []
        for codec in codecs {
            let type = codec.staticPayloadType ?? (codec.encoding == "telephone-event" ? 101 : next)
            if codec.staticPayloadType == nil && codec.encoding != "telephone-event" { next += 1 }
            maps.append(
                MediaDescription.RTPMap(
                    payloadType: type, encoding: codec.encoding, clockRate: codec.clockRate, channels: codec.channels))
        }
        return description(address: address, port: port, maps: maps, direction: direction, previous: previous)
    }

    /// The answer to an offer: the first audio stream is accepted with the codecs both support
    /// (the offer's payload numbers, sipterm's order), every other stream is refused with port 0.
    /// Throws when no audio codec is shared (a UAS answers 488).
    public func answer(
        to offer: SessionDescription, address: String, port: Int, hold: Bool = false,
        previous: SessionDescription? = nil
    ) throws(SDPError) -> (SessionDescription, NegotiatedAudio) {
        var answer = description(address: address, port: port, maps: [], direction: .sendrecv, previous: previous)
        answer.media = []
        var negotiated: NegotiatedAudio?
        for offered in offer.media {
            let maps = offered.rtpMaps
            let shared = codecs.compactMap { codec in maps.first { codec.matches($0) } }
            let audio = shared.filter { $0.encoding.lowercased() != "telephone-event" }
            guard negotiated == nil, offered.media == "audio", offered.port != 0, offered.proto.hasPrefix("RTP/AVP"),
                !audio.isEmpty
            else {
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
            for map in shared {
                if let fmtp = offered.fmtp(map.payloadType) {
                    media.attributes.append(.init("fmtp", "\(map.payloadType) \(fmtp)"))
                }
            }
            media.attributes.append(.init("ptime", String(ptime)))
            media.setDirection(direction)
            answer.media.append(media)
            guard let remote = offered.connection ?? offer.connection else {
                throw SDPError("offered audio has no connection address")
            }
            negotiated = NegotiatedAudio(
                codecs: audio,
                telephoneEvent: shared.first { $0.encoding.lowercased() == "telephone-event" }?.payloadType,
                remoteAddress: remote.address, remotePort: offered.port, direction: direction)
        }
        guard let negotiated else { throw SDPError("no audio codec in common with the offer") }
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
        return NegotiatedAudio(
            codecs: audio, telephoneEvent: maps.first { $0.encoding.lowercased() == "telephone-event" }?.payloadType,
            remoteAddress: remote.address, remotePort: theirs.port,
            direction: theirs.direction ?? answer.direction ?? .sendrecv)
    }

    private func description(
        address: String, port: Int, maps: [MediaDescription.RTPMap], direction: Direction, previous: SessionDescription?
    ) -> SessionDescription {
        let connection = SessionDescription.ConnectionData(
            addressType: address.contains(":") ? "IP6" : "IP4", address: address)
        let origin = SessionDescription.Origin(
            username: "sipterm", sessionID: previous?.origin.sessionID ?? String(UInt32.random(in: 1...UInt32.max)),
            sessionVersion: (previous?.origin.sessionVersion ?? 0) + 1, address: connection)
        var media = MediaDescription(port: port, formats: maps.map { String($0.payloadType) })
        for map in maps {
            media.attributes.append(.init("rtpmap", map.attributeValue))
            if map.encoding == "telephone-event" { media.attributes.append(.init("fmtp", "\(map.payloadType) 0-16")) }
        }
        media.attributes.append(.init("ptime", String(ptime)))
        media.setDirection(direction)
        return SessionDescription(origin: origin, sessionName: "sipterm", connection: connection, media: [media])
    }
}
