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
    /// Media statistics for `status`, as name/value pairs.
    func statistics() async -> [String: Double]
    func close() async
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

/// Makes the media for each new call. `localAddress` is the signalling connection's local IP,
/// the address the media binds and advertises; `onTone` reports DTMF received in RTP.
public protocol CallMediaFactory: Sendable {
    func makeMedia(
        localAddress: String, onTone: @escaping @Sendable (Character, Int) -> Void
    ) async throws -> any CallMedia
}
