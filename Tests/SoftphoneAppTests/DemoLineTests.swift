import Foundation
import SIPUserAgent
import SoftphoneApp
import TestSupport
import Testing

/// The demo line with a real in-process user agent on the demo account: registration with a
/// digest challenge, the echo / ring / busy extensions, MESSAGE echoes; and, from a raw UDP
/// peer, the wire details (the challenge, retransmissions, junk).
@Suite("demo line")
struct DemoLineTests {
    /// A demo line and a user agent on its account, with the agent's events recorded.
    final class Harness: Sendable {
        let line: DemoLine
        let ua: UserAgent
        let log = UAEventLog()

        init(password: String? = nil) async throws {
            line = try await DemoLine.start()
            var values = line.configurationValues
            values["sipterm.audio_input"] = .string("null")
            values["sipterm.audio_output"] = .string("null")
            if let password { values["password"] = .string(password) }
            ua = UserAgent(configuration: try Configuration(values), trace: true, media: RTPMediaFactory())
            log.record(ua)
            await ua.start()
        }

        /// The first event that `match` accepts, or a failure after `timeout`.
        @discardableResult
        func wait(
            _ description: String, timeout: Duration = .seconds(20), _ match: @escaping @Sendable (UAEvent) -> Bool
        ) async throws -> UAEvent {
            try await log.wait(for: description, timeout: timeout, match)
        }

        func registered() async throws {
            try await wait("registered") { if case .registered = $0 { return true } else { return false } }
        }

        func stop() async {
            await ua.stop()
            await line.stop()
        }
    }

    @Test func extensionsAndAccount() async throws {
        #expect(DemoLine.extensions == ["echo", "ring", "busy"])
        let line = try await DemoLine.start()
        #expect(line.port > 0)
        let values = line.configurationValues
        #expect(values["sockets"] == .array([.string("udp://127.0.0.1:\(line.port)")]))
        #expect(values["display_name"] == .string("Demo"))
        #expect(values["register"] == .bool(true))
        _ = try Configuration(values)
        await line.stop()
    }

    @Test func registersWithDigestAndUnregisters() async throws {
        let demo = try await Harness()
        try await demo.registered()
        #expect(await demo.ua.status().registered)
        let sent = await demo.log.traces(.sent).filter { $0.hasPrefix("REGISTER ") }
        #expect(sent.count >= 2)
        #expect(sent.last?.contains("Authorization: Digest") == true)
        let received = await demo.log.traces(.received)
        let challenge = try #require(received.first { $0.hasPrefix("SIP/2.0 401") })
        #expect(challenge.contains("WWW-Authenticate: Digest realm=\"demo.invalid\""))
        #expect(challenge.contains("qop=\"auth\"") && challenge.contains("algorithm=MD5"))
        let ok = try #require(received.first { $0.hasPrefix("SIP/2.0 200") && $0.contains("REGISTER") })
        #expect(ok.contains("Contact: ") && ok.contains("expires="))
        await demo.ua.stop()
        let replies = await demo.log.traces(.received).filter { $0.hasPrefix("SIP/2.0 200") && $0.contains("REGISTER") }
        #expect(replies.count >= 2)
        #expect(replies.last.map { !$0.contains("Contact:") } == true, "the binding is removed")
        await demo.line.stop()
    }

    @Test func wrongPasswordIsRefused() async throws {
        let demo = try await Harness(password: "not-the-password")
        let failed = try await demo.wait("registrationFailed") {
            if case .registrationFailed = $0 { return true } else { return false }
        }
        if case .registrationFailed(_, let status, _) = failed { #expect(status == 403) }
        await demo.stop()
    }

    @Test func echoCallSendsTheAudioBack() async throws {
        let demo = try await Harness()
        try await demo.registered()
        let session = try await demo.ua.call("echo")
        try await demo.wait("180") {
            if case .progress(session, _, 180, _) = $0 { return true } else { return false }
        }
        try await demo.wait("confirmed") { if case .confirmed(session, _) = $0 { return true } else { return false } }
        var received = 0.0
        let deadline = ContinuousClock.now + .seconds(15)
        while received == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            received = await demo.ua.status().calls.first { $0.id == session }?.media["packets_received"] ?? 0
        }
        #expect(received > 0, "the echo sends the caller's RTP back")
        // A re-INVITE (hold and back) is answered on the same echo socket.
        try await demo.ua.hold(session)
        try await demo.wait("hold") { if case .hold(session, .local) = $0 { return true } else { return false } }
        try await demo.ua.unhold(session)
        try await demo.wait("unhold") { if case .unhold(session, .local) = $0 { return true } else { return false } }
        try await demo.ua.terminate(session)
        try await demo.wait("ended") { if case .ended(session, _, _, _) = $0 { return true } else { return false } }
        let bye = await demo.log.traces(.received).contains { $0.hasPrefix("SIP/2.0 200") && $0.contains(" BYE") }
        #expect(bye)
        await demo.stop()
    }

    @Test func ringRingsUntilCancelled() async throws {
        let demo = try await Harness()
        try await demo.registered()
        let session = try await demo.ua.call("ring")
        try await demo.wait("180") {
            if case .progress(session, _, 180, _) = $0 { return true } else { return false }
        }
        try await Task.sleep(for: .seconds(1))
        try await demo.ua.terminate(session)
        let failed = try await demo.wait("failed") {
            if case .failed(session, _, _, _, _) = $0 { return true } else { return false }
        }
        if case .failed(_, _, let cause, _, _) = failed { #expect(cause == "Canceled") }
        let deadline = ContinuousClock.now + .seconds(10)
        var terminated = false
        while !terminated, ContinuousClock.now < deadline {
            terminated = await demo.log.traces(.received).contains { $0.hasPrefix("SIP/2.0 487") }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(terminated, "the INVITE ends with 487 Request Terminated")
        let cancelled = await demo.log.traces(.received).contains {
            $0.hasPrefix("SIP/2.0 200") && $0.contains(" CANCEL")
        }
        #expect(cancelled, "the CANCEL gets 200")
        await demo.stop()
    }

    @Test(arguments: [("busy", "Busy", 486), ("nobody", "Not Found", 404)])
    func failingExtensions(target: String, cause: String, status: Int) async throws {
        let demo = try await Harness()
        try await demo.registered()
        let session = try await demo.ua.call(target)
        let failed = try await demo.wait("failed") {
            if case .failed(session, _, _, _, _) = $0 { return true } else { return false }
        }
        if case .failed(_, _, let actualCause, let actualStatus, _) = failed {
            #expect(actualCause == cause)
            #expect(actualStatus == status)
        }
        await demo.stop()
    }

    @Test func messageIsEchoed() async throws {
        let demo = try await Harness()
        try await demo.registered()
        let response = try await demo.ua.sendMessage(to: "echo", body: "hello demo")
        #expect(response.statusCode == 200)
        let echoed = try await demo.wait("newMessage") {
            if case .newMessage(.remote, _, _, _, _, _) = $0 { return true } else { return false }
        }
        if case .newMessage(_, let from, _, let contentType, let body, _) = echoed {
            #expect(body == "echo: hello demo")
            #expect(from == "sip:echo@demo.invalid")
            #expect(contentType == "text/plain")
        }
        await demo.stop()
    }

    /// On the wire: the challenge, a retransmission answered alike, junk ignored, OPTIONS.
    @Test func rawRequestsRetransmissionsAndJunk() async throws {
        let line = try await DemoLine.start()
        let peer = try RawPeer(port: 0)
        let destination = "127.0.0.1:\(line.port)"
        let branch = SIPText.branch()
        let register = SIPText.message(
            "REGISTER sip:demo.invalid SIP/2.0",
            [
                "Via: SIP/2.0/UDP 127.0.0.1:9;branch=\(branch);rport", "Max-Forwards: 70",
                "From: <sip:demo@demo.invalid>;tag=\(SIPText.token())", "To: <sip:demo@demo.invalid>",
                "Call-ID: \(SIPText.token())", "CSeq: 1 REGISTER", "Contact: <sip:demo@127.0.0.1:9>",
            ])
        try peer.send(register, to: destination)
        let first = try #require(await peer.receive(timeout: 10))
        #expect(SIPText.status(first) == 401)
        let challenge = try #require(SIPText.header("WWW-Authenticate", in: first))
        #expect(challenge.hasPrefix("Digest "))
        #expect(SIPText.parameter("qop", in: challenge.replacingOccurrences(of: ",", with: ";")) == "\"auth\"")
        try peer.send(register, to: destination)
        let again = try #require(await peer.receive(timeout: 10))
        #expect(again == first, "a retransmission gets the same response")

        for junk in [
            "", "garbage\r\n\r\n", "INVITE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n",
            String(repeating: "\u{1}", count: 300),
        ] {
            try peer.send(junk, to: destination)
        }
        try peer.send(
            SIPText.message(
                "OPTIONS sip:demo.invalid SIP/2.0",
                [
                    "Via: SIP/2.0/UDP 127.0.0.1:9;branch=\(SIPText.branch())", "Max-Forwards: 70",
                    "From: <sip:demo@demo.invalid>;tag=\(SIPText.token())", "To: <sip:demo.invalid>",
                    "Call-ID: \(SIPText.token())", "CSeq: 2 OPTIONS",
                ]), to: destination)
        let options = try #require(await peer.receive(timeout: 10))
        #expect(SIPText.status(options) == 200, "still serving after junk")
        await line.stop()
    }
}

extension DemoLineTests {
    /// On the wire: a retransmitted INVITE gets the last response (180), CANCEL gets 200 and the
    /// INVITE 487, the ACK for the 487 is absorbed.
    @Test func rawRingRetransmissionAndCancel() async throws {
        let line = try await DemoLine.start()
        let peer = try RawPeer(port: 0)
        let destination = "127.0.0.1:\(line.port)"
        let branch = SIPText.branch()
        let common = [
            "Max-Forwards: 70", "From: <sip:demo@demo.invalid>;tag=\(SIPText.token())", "To: <sip:ring@demo.invalid>",
            "Call-ID: \(SIPText.token())",
        ]
        let via = "Via: SIP/2.0/UDP 127.0.0.1:9;branch=\(branch);rport"
        let invite = SIPText.message(
            "INVITE sip:ring@demo.invalid SIP/2.0",
            [via] + common + ["CSeq: 1 INVITE", "Contact: <sip:demo@127.0.0.1:9>"])
        try peer.send(invite, to: destination)
        let trying = try #require(await peer.receive(timeout: 10))
        #expect(SIPText.status(trying) == 100)
        let ringing = try #require(await peer.receive(timeout: 10))
        #expect(SIPText.status(ringing) == 180)
        try peer.send(invite, to: destination)
        let again = try #require(await peer.receive(timeout: 10))
        #expect(again == ringing, "a retransmitted INVITE gets the last response")

        try peer.send(
            SIPText.message("CANCEL sip:ring@demo.invalid SIP/2.0", [via] + common + ["CSeq: 1 CANCEL"]),
            to: destination)
        let responses = [await peer.receive(timeout: 10), await peer.receive(timeout: 10)].compactMap { $0 }
        #expect(responses.contains { SIPText.status($0) == 200 && SIPText.cseq($0)?.method == "CANCEL" })
        let terminated = try #require(responses.first { SIPText.status($0) == 487 })
        #expect(SIPText.cseq(terminated)?.method == "INVITE")
        #expect(SIPText.tag("To", in: terminated) == SIPText.tag("To", in: ringing))
        let toWithTag = try #require(SIPText.header("To", in: terminated))
        let ack = SIPText.message(
            "ACK sip:ring@demo.invalid SIP/2.0",
            [via] + common.dropLast(2) + ["To: \(toWithTag)", common[3], "CSeq: 1 ACK"])
        try peer.send(ack, to: destination)
        #expect(await peer.receive(timeout: 0.5) == nil, "the ACK is absorbed")
        await line.stop()
    }
}
