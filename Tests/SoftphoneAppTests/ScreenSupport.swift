import Foundation
import TerminalUI

@testable import SIPUserAgent
@testable import SoftphoneApp

/// Builds app states the way the running phone does: by feeding actions to the reducer.
struct ScreenHarness {
    var state: AppState
    var effects: [AppEffect] = []
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    init(keys: KeyMap = KeyMap()) {
        state = AppState(keys: keys, now: start)
        state.account.uri = "sip:alice@example.com"
        state.account.userAgent = "sipterm test"
    }

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    mutating func send(_ action: AppAction) { effects += AppReducer.reduce(&state, action) }
    mutating func event(_ event: UAEvent, at seconds: Double = 0) { send(.event(event, at: at(seconds))) }
    mutating func key(_ key: Key) { send(.key(key)) }
    mutating func type(_ text: String) { for character in text { key(.character(character)) } }

    mutating func trace(_ sent: Bool, _ text: String, at seconds: Double = 0) {
        event(
            .trace(direction: sent ? .sent : .received, transport: "UDP", remote: "192.0.2.1:5060", text: text),
            at: seconds)
    }

    mutating func registered(at seconds: Double = 0) {
        trace(true, Self.register, at: seconds)
        trace(false, Self.response(401, "Unauthorized", method: "REGISTER"), at: seconds)
        trace(true, Self.register, at: seconds)
        trace(false, Self.response(200, "OK", method: "REGISTER"), at: seconds)
        event(.registered(statusCode: 200, reasonPhrase: "OK", expires: 600), at: seconds)
        send(.status(Self.status(registered: true, refreshIn: 290, expiresIn: 600), at: at(seconds)))
    }

    /// A call placed to bob and confirmed at `seconds`.
    mutating func activeCall(_ id: String = "call-1", at seconds: Double = 0) {
        event(
            .newRTCSession(session: id, originator: .local, remoteIdentity: "sip:bob@example.com", localIdentity: ""),
            at: seconds)
        event(.progress(session: id, originator: .remote, statusCode: 180, reasonPhrase: "Ringing"), at: seconds)
        event(.accepted(session: id, originator: .remote), at: seconds)
        event(.confirmed(session: id, originator: .local), at: seconds)
    }

    func render(width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        Screen.render(state, theme: .builtIn, into: &buffer)
        return buffer
    }

    static let register = """
        REGISTER sip:example.com SIP/2.0\r
        Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK1\r
        Call-ID: reg-1\r
        CSeq: 1 REGISTER\r
        Content-Length: 0\r
        \r

        """

    static func response(
        _ code: Int, _ reason: String, method: String, callID: String = "reg-1", sdp: Bool = false
    )
        -> String
    {
        "SIP/2.0 \(code) \(reason)\r\nVia: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK1\r\nCall-ID: \(callID)\r\n"
            + "CSeq: 1 \(method)\r\n" + (sdp ? "Content-Type: application/sdp\r\n" : "") + "Content-Length: 0\r\n\r\n"
    }

    static func status(registered: Bool, refreshIn: Int?, expiresIn: Int?, calls: [CallInfo] = []) -> UAStatus {
        UAStatus(
            connected: true, socket: "udp://192.0.2.1:5060", transport: "UDP", localAddress: "192.0.2.2:40000",
            registered: registered, registrar: "sip:example.com", expires: registered ? 600 : nil,
            refreshIn: refreshIn, expiresIn: expiresIn, calls: calls,
            configuration: ["uri": .string("sip:alice@example.com"), "display_name": .string("Ålice ¶€")])
    }
}
