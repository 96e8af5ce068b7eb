import NIOCore
import SIPMedia
import SIPUserAgent

/// Gives the user agent SIPMedia's RTP sessions: the one place the two layers meet. Each call
/// opens its audio devices as `[sipterm] audio_input`/`audio_output` say when it starts; a
/// device that cannot be opened is replaced by the null device and the call says why.
public struct RTPMediaFactory: CallMediaFactory {
    public init() {}

    public func makeMedia(
        localAddress: String, settings: MediaSettings, onTone: @escaping @Sendable (Character, Int) -> Void,
        onEvent: @escaping @Sendable (CallMediaEvent) -> Void
    ) async throws -> any CallMedia {
        let chosen = settings.codecs.compactMap(Codec.named)
        var notices: [String] = []
        /// The device, or the null device and a note of why.
        func open<Device>(_ result: Result<Device, AudioDeviceError>, _ what: String, _ null: Device) -> Device {
            switch result {
            case .success(let device): return device
            case .failure(let error):
                notices.append("no audio \(what): \(error)")
                return null
            }
        }
        let source: any AudioSource = open(AudioDevices.source(settings.input), "input", NullAudio())
        let sink: any AudioSink = open(AudioDevices.sink(settings.output), "output", NullAudio())
        let profile = Self.profile(settings)
        if profile == .sdes, !settings.allowsSDES {
            throw MediaProfileRefused(
                reason:
                    "media_profile sdes puts SRTP keys in the SDP, and this call's signalling (\(settings.transport.rawValue.uppercased())) is not encrypted: use a TLS or WSS socket, or set sdes_unencrypted_signalling"
            )
        }
        let offerAnswer = OfferAnswer(
            codecs: chosen.isEmpty ? OfferAnswer().codecs : chosen, profile: profile, allowsSDES: settings.allowsSDES)
        let session = try await RTPSession.open(
            localAddress: localAddress, advertisedAddress: settings.advertisedAddress, offerAnswer: offerAnswer,
            stunServers: await Self.resolve(settings.stunServers, like: localAddress),
            gatheringTimeout: .seconds(Int64(settings.iceGatheringTimeout)),
            source: source, sink: sink, onTone: onTone,
            onEvent: { event in
                switch event {
                case .secured(let text): onEvent(.progress("media secured: \(text)"))
                case .progress(let text): onEvent(.progress(text))
                case .failed(let reason): onEvent(.failed(reason))
                }
            })
        return RTPCallMedia(session: session, notice: notices.isEmpty ? nil : notices.joined(separator: "; "))
    }
}

extension RTPMediaFactory {
    /// What `[sipterm] media_profile` offers on this call's signalling (`auto` resolved by the
    /// socket's transport).
    static func profile(_ settings: MediaSettings) -> MediaProfile {
        switch settings.offeredProfile {
        case "sdes": return .sdes
        case "dtls": return .dtls
        case "webrtc": return .webrtc
        default: return .plain
        }
    }
}

extension RTPMediaFactory {
    /// The STUN servers' addresses in the local address's family (a name that does not
    /// resolve is left out: gathering goes on with the others).
    static func resolve(_ servers: [ICEServerURL], like localAddress: String) async -> [SocketAddress] {
        let wantsV6 = localAddress.contains(":")
        var addresses: [SocketAddress] = []
        for server in servers {
            let host = server.host
            let port = server.port
            let found = await Task.detached { try? SocketAddress.makeAddressResolvingHost(host, port: port) }.value
            if let found, (found.protocol == .inet6) == wantsV6 { addresses.append(found) }
        }
        return addresses
    }
}

/// A call that cannot be placed in the chosen media profile, and why.
struct MediaProfileRefused: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// SIPMedia's session seen as the user agent's `CallMedia`.
final class RTPCallMedia: CallMedia {
    let session: RTPSession
    let notice: String?

    init(session: RTPSession, notice: String?) {
        self.session = session
        self.notice = notice
    }

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
    func playLocalTone(_ tone: LocalTone?) async {
        switch tone {
        case .ringback: await session.setLocalTone(ToneGenerator.ringback)
        case .callWaiting: await session.setLocalTone(ToneGenerator.callWaiting)
        case nil: await session.setLocalTone(nil)
        }
    }
    func statistics() async -> [String: Double] { await session.statistics() }
    func codecName() async -> String? { await session.codec }
    func security() async -> String? { await session.security }
    func deviceNotice() async -> String? { notice }
    func failure() async -> String? { await session.failure }
    func close() async { await session.close() }
}
