import SIPTransport

/// The media side of a call as the signalling sees it: SDP text in and out, DTMF and mute.
/// `SIPMedia` implements it (wired in by the app), so a call session never touches RTP or
/// audio devices and media code never sees a SIP transaction.
public protocol CallMedia: AnyObject, Sendable {
    /// A new offer (or re-offer) in the direction `direction` ("sendrecv", "sendonly", "recvonly", "inactive").
    func makeOffer(direction: String) async throws -> String
    /// Applies the peer's answer to the last offer (an early answer from a 183 is applied the same way).
    func applyAnswer(_ sdp: String) async throws
    /// Answers the peer's offer; `hold` keeps sipterm's side from receiving.
    func makeAnswer(to offer: String, hold: Bool) async throws -> CallMediaAnswer
    /// Sends one DTMF tone as RFC 4733 telephone-events.
    func sendTone(_ tone: Character, duration: Int) async throws
    func setMuted(_ muted: Bool) async
    /// Plays a locally generated tone to the user (ringback while the far end rings, the
    /// call-waiting beep), or stops it with nil.
    func playLocalTone(_ tone: LocalTone?) async
    /// Media statistics for `status`, as name/value pairs.
    func statistics() async -> [String: Double]
    /// The codec in use once negotiated (`PCMU`, `PCMA`).
    func codecName() async -> String?
    /// The media's security once negotiated, as people read it (`SRTP (SDES …)`, `plain`).
    func security() async -> String?
    /// Why the call has no sound, when it has none (e.g. no audio device: the null device is used).
    func deviceNotice() async -> String?
    /// Why the media cannot work, once it has failed (the text of its `.failed` event). Asked
    /// when the peer hangs up, since a peer that sees our DTLS alert may hang up before the
    /// event arrives.
    func failure() async -> String?
    func close() async
}

/// Tones the phone makes itself.
public enum LocalTone: String, Sendable {
    case ringback
    case callWaiting
}

/// An answer, and whether the offer it answers put sipterm on hold (every stream sendonly or inactive).
public struct CallMediaAnswer: Sendable {
    public var sdp: String
    public var remoteHold: Bool

    public init(sdp: String, remoteHold: Bool) {
        self.sdp = sdp
        self.remoteHold = remoteHold
    }
}

/// What a call's media reports on its own: progress worth showing (DTLS done, the ICE pair),
/// or a failure that ends the call (the text names the layer: `DTLS: …`, `ICE: …`).
public enum CallMediaEvent: Sendable, Equatable {
    case progress(String)
    case failed(String)
}

/// Makes the media for each new call. `localAddress` is the signalling connection's local IP,
/// the address the media binds and advertises; `settings` are the `[sipterm]` audio settings
/// as they are when the call starts; `onTone` reports DTMF received in RTP, `onEvent` the
/// media's own progress and failures.
public protocol CallMediaFactory: Sendable {
    func makeMedia(
        localAddress: String, settings: MediaSettings, onTone: @escaping @Sendable (Character, Int) -> Void,
        onEvent: @escaping @Sendable (CallMediaEvent) -> Void
    ) async throws -> any CallMedia
}

/// `[sipterm] audio_input`, `audio_output`, `codecs` and the media profile settings, read per
/// call so a change applies to the next one, with what the call's signalling is carried on.
public struct MediaSettings: Sendable {
    public var input: String
    public var output: String
    public var codecs: [String]
    /// `[sipterm] media_profile`: auto, webrtc, dtls, sdes or plain.
    public var profile: String
    /// The signalling connection's transport (SDES keys travel in its SDP).
    public var transport: TransportKind
    /// `[sipterm] sdes_unencrypted_signalling`: SDES keys may go over UDP, TCP and WS too.
    public var sdesOverUnencrypted: Bool
    /// The address the SDP names instead of the local one: the public address a NAT maps
    /// sipterm to (RTP is symmetric, so the same port works through the mapping).
    public var advertisedAddress: String?
    /// `[sipterm] ice_servers`' stun: servers and `ice_gathering_timeout` (seconds).
    public var stunServers: [ICEServerURL]
    public var iceGatheringTimeout: Int

    public init(
        input: String, output: String, codecs: [String], profile: String = "auto", transport: TransportKind = .udp,
        sdesOverUnencrypted: Bool = false, advertisedAddress: String? = nil, stunServers: [ICEServerURL] = [],
        iceGatheringTimeout: Int = 2
    ) {
        self.stunServers = stunServers
        self.iceGatheringTimeout = iceGatheringTimeout
        self.advertisedAddress = advertisedAddress
        self.input = input
        self.output = output
        self.codecs = codecs
        self.profile = profile
        self.transport = transport
        self.sdesOverUnencrypted = sdesOverUnencrypted
    }

    /// Whether this call's SDP may carry SDES keys.
    public var allowsSDES: Bool { transport.isSecure || sdesOverUnencrypted }

    /// The profile an offer is made in: `auto` is what JsSIP in a browser offers on WS and WSS
    /// sockets (webrtc) and what SIP phones answer on UDP, TCP and TLS (plain).
    public var offeredProfile: String { Self.offeredProfile(profile, on: transport) }

    public static func offeredProfile(_ profile: String, on transport: TransportKind) -> String {
        guard profile == "auto" else { return profile }
        return transport.isWebSocket ? "webrtc" : "plain"
    }
}
