/// What the peer's SDP says about ICE (RFC 8839): its credentials, its candidates, and whether
/// it is a lite agent. A stream without `a=ice-ufrag`/`a=ice-pwd` has no ICE.
public struct ICERemote: Sendable, Equatable {
    public var credentials: ICECredentials
    public var candidates: [ICECandidate]
    public var lite: Bool
}

/// Our side of ICE for one call: credentials made when the call's media opens, the candidates
/// gathered for it, and the identity WebRTC peers expect beside them (msid, ssrc cname).
public struct ICELocal: Sendable, Equatable {
    public var credentials: ICECredentials
    public var candidates: [ICECandidate]
    public var ssrc: UInt32
    public var cname: String
}

enum ICENegotiation {
    /// The peer's ICE for a stream: stream-level attributes first, then session-level ones.
    static func remote(_ media: MediaDescription, session: SessionDescription) -> ICERemote? {
        let attributes = media.attributes + session.attributes
        guard let ufrag = attributes.first(where: { $0.name == "ice-ufrag" })?.value,
            let password = attributes.first(where: { $0.name == "ice-pwd" })?.value
        else { return nil }
        let candidates = media.attributes.filter { $0.name == "candidate" }.compactMap {
            $0.value.flatMap(ICECandidate.init(sdpValue:))
        }
        return ICERemote(
            credentials: ICECredentials(ufrag: ufrag, password: password), candidates: candidates,
            lite: session.attributes.contains { $0.name == "ice-lite" })
    }

    /// Adds our ICE and the WebRTC identity lines to the audio stream of an offer or answer:
    /// full (non-trickle) candidates, then `a=end-of-candidates` (RFC 8840 §4.2), as JsSIP sends
    /// them once gathering has finished.
    static func add(_ local: ICELocal, to description: inout SessionDescription) {
        guard let index = description.media.firstIndex(where: { $0.media == "audio" && $0.port != 0 }) else { return }
        var lines: [SessionDescription.Attribute] = [
            .init("ice-ufrag", local.credentials.ufrag), .init("ice-pwd", local.credentials.password),
        ]
        lines += local.candidates.map { .init("candidate", $0.sdpValue) }
        lines.append(.init("end-of-candidates"))
        lines.append(.init("msid", "sipterm audio0"))
        lines.append(.init("ssrc", "\(local.ssrc) cname:\(local.cname)"))
        description.media[index].attributes.insert(contentsOf: lines, at: 0)
    }

    /// An answer names the offer's `a=mid` and, when the offer bundles it, the same group
    /// (RFC 9143): sipterm answers one audio stream, so the group is that stream alone.
    static func echoMid(
        offered: MediaDescription, offer: SessionDescription, into answer: inout MediaDescription
    )
        -> SessionDescription.Attribute?
    {
        guard let mid = offered.attributes.first(where: { $0.name == "mid" })?.value else { return nil }
        answer.attributes.insert(.init("mid", mid), at: 0)
        let bundled = offer.attributes.contains {
            $0.name == "group" && ($0.value?.split(separator: " ").dropFirst().contains(Substring(mid)) ?? false)
                && $0.value?.hasPrefix("BUNDLE") == true
        }
        return bundled ? .init("group", "BUNDLE \(mid)") : nil
    }
}
