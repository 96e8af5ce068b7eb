import SIPMedia
import SIPUserAgent

/// Gives the user agent SIPMedia's RTP sessions: the one place the two layers meet.
public struct RTPMediaFactory: CallMediaFactory {
    public var codecs: [String]

    public init(codecs: [String]) { self.codecs = codecs }

    public func makeMedia(
        localAddress: String, onTone: @escaping @Sendable (Character, Int) -> Void
    ) async throws -> any CallMedia {
        let chosen = codecs.compactMap(Codec.named)
        let session = try await RTPSession.open(
            localAddress: localAddress,
            offerAnswer: OfferAnswer(codecs: chosen.isEmpty ? OfferAnswer().codecs : chosen),
            onTone: onTone)
        return RTPCallMedia(session: session)
    }
}

/// SIPMedia's session seen as the user agent's `CallMedia`.
final class RTPCallMedia: CallMedia {
    let session: RTPSession

    init(session: RTPSession) { self.session = session }

    func makeOffer(direction: String) async throws -> String {
        await session.makeOffer(direction: Direction(rawValue: direction) ?? .sendrecv)
    }

    func applyAnswer(_ sdp: String) async throws { try await session.applyAnswer(sdp) }

    func makeAnswer(to offer: String, hold: Bool) async throws -> CallMediaAnswer {
        let (sdp, remoteHold) = try await session.makeAnswer(to: offer, hold: hold)
        return CallMediaAnswer(sdp: sdp, remoteHold: remoteHold)
    }

    func sendTone(_ tone: Character, duration: Int) async throws {
        try await session.sendTone(tone, duration: duration)
    }
    func setMuted(_ muted: Bool) async { await session.setMuted(muted) }
    func statistics() async -> [String: Double] { await session.statistics() }
    func close() async { await session.close() }
}
