import NIOCore
import SIPMessage

/// One call to the demo line, from its INVITE to its BYE (or CANCEL).
struct DemoCall {
    enum State {
        /// 180 sent; `echo` answers shortly, `ring` waits for the CANCEL.
        case ringing
        /// 200 sent, retransmitted until the ACK comes (RFC 3261 §13.3.1.4).
        case answered
        case confirmed
    }

    var invite: SIPRequest
    var source: SocketAddress
    var toTag: String
    var state: State
    var echo: DemoEcho?
    /// The SDP the line last answered with, kept so a re-INVITE gets the same session (version + 1).
    var answer: String?
    var answerBytes: [UInt8] = []

    var inviteBranch: String? { (try? invite.topVia)?.branch }
}
