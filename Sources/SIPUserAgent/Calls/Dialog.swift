import SIPMessage

/// A dialog (RFC 3261 §12): the identifiers, sequence numbers, route set and remote target that
/// every request inside it uses.
struct Dialog: Sendable {
    var callID: String
    var localTag: String
    var remoteTag: String
    var localURI: NameAddress
    var remoteURI: NameAddress
    var remoteTarget: SIPURI
    /// Route header values in the order requests carry them.
    var routeSet: [String]
    var localSeq: UInt32
    var remoteSeq: UInt32?

    /// The UAC side, from our INVITE and the response that created the dialog: Record-Route reversed.
    init?(uac request: SIPRequest, response: SIPResponse) {
        guard let callID = try? request.callID, let from = try? request.from, let localTag = from.tag,
            let to = try? response.to, let remoteTag = to.tag, let cseq = try? request.cseq
        else { return nil }
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
        self.localURI = from
        self.remoteURI = to
        self.remoteTarget = Self.target(response) ?? request.uri.sipURI ?? SIPURI(host: .domain("invalid"))
        self.routeSet = ((try? response.recordRoutes) ?? []).reversed().map(\.description)
        self.localSeq = cseq.number
        self.remoteSeq = nil
    }

    /// The UAS side, from an INVITE we answer with `localTag`: Record-Route in order.
    init?(uas request: SIPRequest, localTag: String) {
        guard let callID = try? request.callID, let from = try? request.from, let remoteTag = from.tag,
            var to = try? request.to, let cseq = try? request.cseq
        else { return nil }
        to.parameters.set("tag", localTag)
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
        self.localURI = to
        self.remoteURI = from
        self.remoteTarget = Self.target(request) ?? SIPURI(host: .domain("invalid"))
        self.routeSet = ((try? request.recordRoutes) ?? []).map(\.description)
        self.localSeq = UInt32.random(in: 1...10000)
        self.remoteSeq = cseq.number
    }

    static func target(_ message: some SIPMessageParts) -> SIPURI? {
        (try? message.contacts.first?.address?.uri.sipURI) ?? nil
    }

    /// True when `message` (a request from the peer, or a response to one of ours) is in this dialog.
    func matches(callID: String, localTag: String?, remoteTag: String?) -> Bool {
        callID == self.callID && localTag == self.localTag && remoteTag == self.remoteTag
    }

    /// A target refresh (RFC 3261 §12.2): a re-INVITE or UPDATE, or its 2xx, may move the peer.
    mutating func refreshTarget(from message: some SIPMessageParts) {
        if let target = Self.target(message) { remoteTarget = target }
    }

    /// A peer's request must climb in CSeq (RFC 3261 §12.2.2); a lower one is answered 500.
    mutating func acceptRemote(cseq: UInt32) -> Bool {
        if let last = remoteSeq, cseq <= last { return cseq == last }
        remoteSeq = cseq
        return true
    }

    /// The Replaces value that names this dialog from the peer's side (RFC 3891: to-tag is the
    /// tag of the dialog's party the Replaces will reach, i.e. the peer's).
    var replacesForPeer: Replaces { Replaces(callID: callID, toTag: remoteTag, fromTag: localTag) }
}
