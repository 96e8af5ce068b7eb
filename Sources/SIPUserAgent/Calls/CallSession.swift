import Foundation
import SIPMessage

/// JsSIP's RTCSession states.
public enum CallState: String, Sendable {
    case null
    case inviteSent
    case provisionalReceived = "1xxReceived"
    case inviteReceived
    case waitingForAnswer
    case answered
    case waitingForAck
    case canceled
    case terminated
    case confirmed

    public var isInProgress: Bool {
        [.null, .inviteSent, .provisionalReceived, .inviteReceived, .waitingForAnswer].contains(self)
    }
    public var isEstablished: Bool { [.answered, .waitingForAck, .confirmed].contains(self) }
    public var isEnded: Bool { self == .canceled || self == .terminated }
}

/// One call. It lives inside the `UserAgent` actor (never shared), so its state needs no lock;
/// every timer it starts calls back into the actor by the call's id.
final class CallSession {
    let id: String
    /// `local` for calls sipterm placed, `remote` for calls it received.
    let direction: UAEvent.Originator
    var state: CallState = .null
    var localIdentity: NameAddress
    var remoteIdentity: NameAddress
    var dialog: Dialog?
    /// The INVITE that started the call: ours as last sent (for CANCEL and ACK), or the peer's.
    var invite: SIPRequest?
    var media: (any CallMedia)?
    var startTime: Date?
    var localHold = false
    var remoteHold = false
    var muted = false
    /// terminate() before the first provisional: the CANCEL waits for it (JsSIP).
    var cancelPending: ReasonValue??
    var cancelSent = false
    /// An offer or refresh of ours is in flight, or the peer's is being answered.
    var reofferPending = false
    var incomingReofferPending = false
    /// Our 2xx to an INVITE (initial or re-INVITE), resent until the ACK (UDP).
    var unacknowledged: (cseq: UInt32, bytes: [UInt8])?
    /// The 200 carried an offer (late-offer INVITE): the answer comes in the ACK.
    var answerExpectedInAck = false
    /// terminate() while waiting for the ACK: the BYE goes once the ACK is in.
    var byeAfterAck: ReasonValue??
    var peerAllowsUpdate = false
    var sessionTimer = SessionTimerState()
    var timers: [String: Task<Void, Never>] = [:]
    var dtmfQueue: [DTMFJob] = []
    var dtmfRunning = false
    /// REFERs we sent, by the Event id their NOTIFYs carry (the REFER's CSeq).
    var sentRefers: [String] = []
    /// A REFER from the peer waiting for acceptRefer/rejectRefer: its Event id and target.
    var receivedRefer: (eventID: String, target: SIPURI)?
    /// NOTIFYs for a REFER waiting to go: one at a time in the dialog (RFC 6665 §4.2.2).
    var pendingNotifies: [(eventID: String, fragment: String, final: Bool)] = []
    var notifying = false
    /// This call was placed for a REFER: the referring call and its Event id, to NOTIFY.
    var referredBy: (session: String, eventID: String)?
    /// This call replaces that one (RFC 3891); it ends once this one is confirmed.
    var replacing: String?
    /// Where the peer's INVITE came from (UDP), where our 2xx retransmissions go.
    var source: Destination?
    var extraHeaders: [HeaderField] = []
    /// The media profile a 488/606 to the first offer is retried in, once (`auto` on WS/WSS:
    /// plain RTP/AVP after a refused WebRTC offer).
    var fallbackProfile: String?

    init(id: String, direction: UAEvent.Originator, localIdentity: NameAddress, remoteIdentity: NameAddress) {
        self.id = id
        self.direction = direction
        self.localIdentity = localIdentity
        self.remoteIdentity = remoteIdentity
    }

    func cancelTimer(_ name: String) {
        timers.removeValue(forKey: name)?.cancel()
    }

    func cancelAllTimers() {
        for task in timers.values { task.cancel() }
        timers = [:]
    }

    /// The direction to offer: JsSIP's rewrite of sendrecv for local and remote hold.
    var offerDirection: String {
        switch (localHold, remoteHold) {
        case (true, true): return "inactive"
        case (true, false): return "sendonly"
        case (false, true): return "recvonly"
        case (false, false): return "sendrecv"
        }
    }

    var info: CallInfo {
        CallInfo(
            id: id, state: state, direction: direction == .local ? "outgoing" : "incoming",
            remoteIdentity: remoteIdentity.uri.description, localIdentity: localIdentity.uri.description,
            startTime: startTime, localHold: localHold, remoteHold: remoteHold, muted: muted,
            sessionTimerInterval: sessionTimer.active ? sessionTimer.interval : nil,
            refresher: sessionTimer.active ? (sessionTimer.weRefresh ? "local" : "remote") : nil)
    }
}

/// One queued DTMF tone.
struct DTMFJob {
    var tone: Character
    var duration: Int
    var gap: Int
    var transport: DTMFTransport
}

/// A call as `status` reports it.
public struct CallInfo: Sendable {
    public var id: String
    public var state: CallState
    public var direction: String
    public var remoteIdentity: String
    public var localIdentity: String
    public var startTime: Date?
    public var localHold: Bool
    public var remoteHold: Bool
    public var muted: Bool
    public var sessionTimerInterval: Int?
    /// "local" when sipterm refreshes the session, "remote" when the peer does.
    public var refresher: String?
    /// Media statistics (packets, loss, jitter, round trip) from the media layer.
    public var media: [String: Double] = [:]
    public var codec: String?
    /// The media's security: `SRTP (SDES …)` or `plain`, once negotiated.
    public var security: String?
}
