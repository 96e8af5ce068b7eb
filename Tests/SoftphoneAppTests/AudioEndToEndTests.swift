import Foundation
import SIPMedia
import TestSupport
import Testing

/// Voice, proven: what one phone sends is what the other records — checked by frequency
/// (Goertzel) against baresip's 440 Hz sine, and by correlation between two agents.
@Suite("audio end to end", .serialized)
struct AudioEndToEndTests {
    /// Its own baresip and users: other suites run at the same time.
    static let baresip = Baresip(user: "xavier", sipPort: 15250)

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sipterm-audio-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A WAV file of a sine at `frequency` Hz, `seconds` long, at 8 kHz.
    static func tone(_ frequency: Double, seconds: Double, in directory: String) throws -> String {
        let path = directory + "/tone-\(Int(frequency)).wav"
        let generator = ToneGenerator.sine(frequency: frequency, level: 0.4)
        try WAVFile.write(generator.read(Int(seconds * 8000)), to: path)
        return path
    }

    /// The middle part of a recording (skipping set-up and tear-down).
    static func middle(_ samples: [Int16], seconds: Double = 1) -> [Int16] {
        guard samples.count > 8000 else { return samples }
        let start = samples.count / 2 - Int(seconds * 4000)
        return Array(samples[max(0, start)..<min(samples.count, start + Int(seconds * 8000))])
    }

    /// What was recorded while the call surely ran: its last 2 s. The recording starts before
    /// the answer (silence, ringback), however long setup took.
    static func inCall(_ samples: [Int16]) -> [Int16] { Array(samples.suffix(16000)) }

    /// A call between the agent (registered as `user`) and baresip, placed by the side
    /// `direction` names ("we call" or "baresip calls") and confirmed; the agent's session id.
    static func establish(
        _ direction: String, _ agent: AgentProcess, _ user: String, _ baresip: Baresip
    ) async throws -> String {
        if direction == "we call" { return try await agent.call(baresip.user) }
        try await baresip.command("dial", "sip:\(user)@sipterm.test")
        let session = try await agent.incoming()
        try await agent.command(["cmd": "answer", "session": session])
        try await agent.event("confirmed", session: session)
        return session
    }

    /// What baresip heard in its last call: its decoder's dump.
    static func heard(by baresip: Baresip) throws -> [Int16] {
        let dumps = try FileManager.default.contentsOfDirectory(atPath: baresip.directory)
            .filter { $0.hasSuffix("-dec.wav") }.sorted()
        let dump = try #require(dumps.last, "baresip wrote no recording")
        return try WAVFile.readTelephony(path: baresip.directory + "/" + dump)
    }

    /// What one tone call with baresip left: the agent's view of the call 3 s in, our source
    /// file, what each side recorded, and (when captured) the datagrams on baresip's RTP ports.
    struct ToneCall {
        var call: [String: Any]
        var source: String
        var received: [Int16]
        var heard: [Int16]
        var datagrams: [LoopbackCapture.Datagram]
        var payloads: [[UInt8]] { datagrams.map(\.payload) }
    }

    /// Our 1000 Hz file against baresip's 440 Hz sine: the agent registers as `user` over
    /// `kind` with `settings`, the side `direction` names places the call, it runs 3 s and we
    /// end it.
    static func toneCall(
        _ direction: String, as user: String, over kind: String, _ settings: [String] = [], with baresip: Baresip,
        capture: Bool = false, inspect: (AgentProcess, String) async throws -> Void = { _, _ in }
    ) async throws -> ToneCall {
        let work = try directory()
        let source = try tone(1000, seconds: 10, in: work)
        let recording = work + "/received.wav"
        try await baresip.start()
        let wire = capture ? try await LoopbackCapture(udpPorts: baresip.rtpPorts) : nil
        let agent = try await AgentToAgentTests.registered(
            user, over: kind,
            settings + ["sipterm.audio_input=\"file:\(source)\"", "sipterm.audio_output=\"file:\(recording)\""])
        let session = try await establish(direction, agent, user, baresip)
        try await inspect(agent, session)
        try await Task.sleep(for: .seconds(3))
        let call = try #require(try await agent.calls().first)
        try await agent.command(["cmd": "terminate", "session": session])
        try await agent.event("ended", session: session)
        try await Task.sleep(for: .milliseconds(500))
        await agent.stop()
        try await baresip.stop()
        // Only this call's packets: the capture sees baresip's whole port range, where another
        // test's agent may have bound a port meanwhile and sent the same tone to someone else.
        let media = call["media"] as? [String: Any]
        let ours = (media?["local_port"] as? Double).map { Int($0)...Int($0) + 1 }
        let datagrams =
            try await wire?.stop().filter { datagram in
                ours.map { $0.contains(datagram.sourcePort) || $0.contains(datagram.destinationPort) } ?? true
            } ?? []
        if capture { #expect(ours != nil, "the call's media statistics name no local port: \(media ?? [:])") }
        return ToneCall(
            call: call, source: source, received: try WAVFile.readTelephony(path: recording),
            heard: try heard(by: baresip), datagrams: datagrams)
    }

    /// The tones crossed: baresip's 440 Hz recorded here, our 1000 Hz in baresip's decoder dump.
    static func expectTonesCrossed(_ call: ToneCall) {
        #expect(call.received.count > 16000, "recorded \(call.received.count) samples")
        // Judged 100 ms at a time: the tone in three quarters of the last 2 s, nothing else.
        HeardTone.expect(inCall(call.received), heard: 440, forAtLeast: 1.5)
        HeardTone.expect(inCall(call.heard), heard: 1000, forAtLeast: 1.5)
    }

    @Test(arguments: ["we call", "baresip calls"])
    func toneBothWaysWithBaresip(direction: String) async throws {
        let call = try await Self.toneCall(direction, as: "yves", over: "udp", with: Self.baresip)
        #expect(call.call["codec"] as? String == "PCMU")
        Self.expectTonesCrossed(call)
    }

    @Test func agentToAgentRecordingMatchesTheSource() async throws {
        let work = try Self.directory()
        // A known, non-periodic signal: two sines and seeded noise.
        var generator = SplitMix64(seed: 42)
        let known = (0..<8000).map { index -> Int16 in
            let t = Double(index) / 8000
            let noise = Double(Int(generator.next() % 2001) - 1000)
            return Int16(clamping: Int(3000 * sin(2 * .pi * 523 * t) + 2000 * sin(2 * .pi * 1311 * t) + noise))
        }
        let source = work + "/known.wav"
        try WAVFile.write(known, to: source)
        let recording = work + "/bob.wav"
        let bob = try await AgentToAgentTests.registered(
            "rupert", over: "udp", ["sipterm.audio_output=\"file:\(recording)\"", "sipterm.audio_input=\"null\""])
        let alice = try await AgentToAgentTests.registered(
            "quinn", over: "udp", ["sipterm.audio_input=\"file:\(source)\"", "sipterm.audio_output=\"null\""])
        let (outgoing, incoming) = try await AgentToAgentTests.call(alice, bob, target: "rupert")
        // Past the first RTCP reports (every 5 s): loss, jitter and round-trip time are known.
        try await Task.sleep(for: .seconds(6))
        let stats = try await bob.calls().first?["media"] as? [String: Any]
        #expect((stats?["packets_received"] as? Double ?? 0) > 250)
        #expect(stats?["loss_fraction"] as? Double == 0)
        #expect((stats?["jitter_ms"] as? Double ?? 99) < 20)
        let rtt = try await alice.calls().first?["media"] as? [String: Any]
        #expect((rtt?["rtt_ms"] as? Double).map { (0..<100).contains($0) } == true, "\(rtt ?? [:])")
        try await alice.command(["cmd": "terminate", "session": outgoing])
        try await bob.event("ended", session: incoming)
        try await Task.sleep(for: .milliseconds(500))
        await alice.stop()
        await bob.stop()
        let received = try WAVFile.readTelephony(path: recording)
        let excerpt = Self.middle(received, seconds: 0.5)
        // The 1 s source loops, so the excerpt lies somewhere in two periods of it.
        let (lag, coefficient) = Goertzel.correlation(known + known, excerpt, maxLag: known.count)
        #expect(coefficient > 0.9, "best correlation \(coefficient) at lag \(lag)")
    }
}

extension AudioEndToEndTests {
    @Test func mutedCallerSendsSilence() async throws {
        let work = try Self.directory()
        let source = try Self.tone(1000, seconds: 5, in: work)
        let recording = work + "/muted.wav"
        let bob = try await AgentToAgentTests.registered(
            "rupert", over: "udp", ["sipterm.audio_output=\"file:\(recording)\"", "sipterm.audio_input=\"null\""])
        let alice = try await AgentToAgentTests.registered(
            "quinn", over: "udp", ["sipterm.audio_input=\"file:\(source)\"", "sipterm.audio_output=\"null\""])
        let (outgoing, incoming) = try await AgentToAgentTests.call(alice, bob, target: "rupert")
        try await alice.command(["cmd": "mute", "session": outgoing])
        try await Task.sleep(for: .seconds(2))
        let received = try await bob.calls().first?["media"] as? [String: Any]
        try await alice.command(["cmd": "terminate", "session": outgoing])
        try await bob.event("ended", session: incoming)
        try await Task.sleep(for: .milliseconds(500))
        await alice.stop()
        await bob.stop()
        // Packets kept coming (mute sends silence, not nothing) ...
        #expect((received?["packets_received"] as? Double ?? 0) > 50)
        // ... and they carried no tone: at most the few frames before the mute took effect.
        let samples = try WAVFile.readTelephony(path: recording)
        let tail = Array(samples.suffix(8000))
        #expect(Goertzel.power(tail, frequency: 1000) < 1e-4, "1 kHz power \(Goertzel.power(tail, frequency: 1000))")
    }

    /// No sound card (as on CI): the call still works, on the null device, and says why.
    @Test(
        .enabled(
            if: !FileManager.default.fileExists(atPath: "/dev/snd"),
            "this machine has a sound card: the no-device path cannot be shown here"))
    func noAudioDeviceIsReportedAndTheCallGoesOn() async throws {
        let sipp = try Sipp.start("uas-answer.xml", port: 5716)
        let agent = try await CallInteropTests.agent(towards: 5716)
        let session = try await agent.call("bob")
        let notice = try await agent.event("mediaNotice", session: session)
        #expect((notice["message"] as? String)?.contains("cannot open ALSA capture device \"default\"") == true)
        try await agent.command(["cmd": "terminate", "session": session])
        let sipped = await Sipp.outcome(sipp)
        #expect(sipped.status == 0, "\(sipped.logs)")
        await agent.stop()
    }

    /// While the far end rings (a 180 without SDP), the caller hears ringback: 440 + 480 Hz.
    @Test func ringbackWhileTheFarEndRings() async throws {
        let work = try Self.directory()
        let recording = work + "/ringback.wav"
        let sipp = try Sipp.start("uas-ring-wait-cancel.xml", port: 5717)
        let agent = try await CallInteropTests.agent(
            towards: 5717, ["sipterm.audio_output=\"file:\(recording)\"", "sipterm.audio_input=\"null\""])
        let session = try await agent.call("bob", confirmed: false)
        try await agent.event("progress", session: session)
        try await Task.sleep(for: .milliseconds(1500))
        try await agent.command(["cmd": "terminate", "session": session])
        let sipped = await Sipp.outcome(sipp)
        #expect(sipped.status == 0, "\(sipped.logs)")
        try await Task.sleep(for: .milliseconds(500))
        await agent.stop()
        let samples = try WAVFile.readTelephony(path: recording)
        let heard = Array(samples.suffix(6000).prefix(4000))
        let low = Goertzel.power(heard, frequency: 440)
        let high = Goertzel.power(heard, frequency: 480)
        let other = Goertzel.power(heard, frequency: 1000)
        #expect(low > 100 * other && high > 100 * other, "440 Hz \(low), 480 Hz \(high), 1 kHz \(other)")
    }

    @Test func devicesCommandListsTheChoices() async throws {
        let result = try await Command(try Binaries.sipterm(), ["devices"]).run()
        #expect(result.status == 0)
        #expect(result.stdout.contains("null"))
        #expect(result.stdout.contains("file:PATH.wav"))
    }
}
