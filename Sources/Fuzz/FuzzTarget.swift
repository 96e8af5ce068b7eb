import SIPMedia
import SIPMessage
import SIPUserAgent
import TerminalUI

/// What sipterm fuzzes, one check per kind of untrusted input. Each check traps when a property
/// breaks (a crash, or a round trip that changes what was read); refusing an input is fine.
enum FuzzTarget: String, CaseIterable {
    /// The SIP message parser, both framings, validation, every known header, the round trip.
    case sip = "FuzzSIP"
    /// What a media socket receives: STUN into the ICE agent (raw and re-signed so the fuzzer
    /// gets past the integrity checks), DTLS as client and server, RTP, RTCP, RFC 4733, SRTP.
    case media = "FuzzMedia"
    /// SDP offers and answers: parse, round trip, answer and accept in every media profile.
    case sdp = "FuzzSDP"
    /// Config and theme files: TOML, every parameter's checker, the saved form's round trip.
    case config = "FuzzConfig"

    func check(_ bytes: [UInt8]) {
        switch self {
        case .sip: checkSIP(bytes)
        case .media: for mode in UntrustedDatagram.Mode.allCases { UntrustedDatagram.check(bytes, mode: mode) }
        case .sdp: UntrustedSessionDescription.check(bytes)
        case .config:
            UntrustedConfigText.check(bytes)
            _ = try? Theme.parse(String(decoding: bytes, as: UTF8.self), path: "fuzz.toml")
        }
    }

    /// Inputs made by sipterm's own encoders for mutations to start from (FuzzSIP's seeds are
    /// the RFC 4475/5118 torture messages, which scripts/fuzz copies in).
    var seeds: [[UInt8]] {
        switch self {
        case .sip: return []
        case .media: return UntrustedDatagram.seeds
        case .sdp: return UntrustedSessionDescription.seeds
        case .config: return UntrustedConfigText.seeds
        }
    }
}
