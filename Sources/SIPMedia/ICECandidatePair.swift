import NIOCore

/// One of our host candidates (by base: the socket it is on) paired with one of the peer's
/// (RFC 8445 §6.1.2), and how its connectivity check is going.
struct ICECandidatePair {
    enum State { case waiting, inProgress, succeeded, failed }

    /// Index of our candidate (and its socket) in the agent's `localCandidates`.
    var local = 0
    var remote: ICECandidate
    var remoteAddress: SocketAddress
    var priority: UInt64 = 0
    var state = State.waiting
    /// The controlling peer sent USE-CANDIDATE on this pair.
    var nominatedByPeer = false
    /// Our address as the peer saw it on this pair (XOR-MAPPED-ADDRESS of our check's answer).
    var mappedLocal: SocketAddress?

    /// RFC 8445 §6.1.2.3: 2^32·min(G, D) + 2·max(G, D) + (G > D ? 1 : 0).
    mutating func prioritise(local: UInt32, controlling: Bool) {
        let g = UInt64(controlling ? local : remote.priority)
        let d = UInt64(controlling ? remote.priority : local)
        priority = (min(g, d) << 32) + 2 * max(g, d) + (g > d ? 1 : 0)
    }
}
