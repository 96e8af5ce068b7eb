import Foundation
import SIPMedia
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A phone that loses the CPU for a while (a loaded machine, a laptop waking up) must not lose
/// the call's sound for longer than it was away. The stall here is real and exact: the agent
/// process is stopped with SIGSTOP and resumed with SIGCONT mid-call, between two sipterm
/// agents through Kamailio, one sending a 1000 Hz file and the other recording it.
@Suite("media after a stall", .serialized)
struct MediaStallTests {
    /// Which 100 ms windows of a recording hold the tone: `4` the tone, else `.` or `x`.
    static func toneMap(_ samples: [Int16]) -> String { HeardTone(samples, frequency: 1000).map }

    /// A call from `stallsend` to `stallrecv`; `stall` stops one of them 1.5 s into the call
    /// for `seconds`, the call goes on 1.5 s after, and the receiver's recording, the time from
    /// its answer to the hang-up, and its media statistics at the end come back.
    static func stalledCall(
        stall: (_ sender: AgentProcess, _ receiver: AgentProcess) -> BackgroundProcess, seconds: Double
    ) async throws -> (recording: [Int16], callSeconds: Double, stats: [String: Any], sent: [String: Any]) {
        let work = try AudioEndToEndTests.directory()
        let source = try AudioEndToEndTests.tone(1000, seconds: 20, in: work)
        let recording = work + "/received.wav"
        let receiver = try await AgentToAgentTests.registered(
            "stallrecv", over: "udp", ["sipterm.audio_output=\"file:\(recording)\"", "sipterm.audio_input=\"null\""])
        let sender = try await AgentToAgentTests.registered(
            "stallsend", over: "udp", ["sipterm.audio_input=\"file:\(source)\"", "sipterm.audio_output=\"null\""])
        let (outgoing, incoming) = try await AgentToAgentTests.call(sender, receiver, target: "stallrecv")
        let answered = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(1500))
        let stopped = stall(sender, receiver)
        kill(stopped.pid, SIGSTOP)
        try await Task.sleep(for: .seconds(seconds))
        kill(stopped.pid, SIGCONT)
        try await Task.sleep(for: .milliseconds(1500))
        let stats = try await receiver.calls().first?["media"] as? [String: Any] ?? [:]
        let sent = try await sender.calls().first?["media"] as? [String: Any] ?? [:]
        let callTime = ContinuousClock.now - answered
        try await sender.command(["cmd": "terminate", "session": outgoing])
        try await receiver.event("ended", session: incoming)
        await sender.stop()
        await receiver.stop()
        let seconds = Double(callTime.components.seconds) + Double(callTime.components.attoseconds) / 1e18
        return (try WAVFile.readTelephony(path: recording), seconds, stats, sent)
    }

    /// The receiver stopped for 600 ms (three times what the clock used to catch up, and with
    /// room under the second it catches up now for the test's own lateness on a loaded
    /// machine): what reached its socket meanwhile is played when it resumes, so the recording
    /// keeps the call's length and the tone runs through the stall.
    @Test func aStalledReceiverPlaysWhatCameMeanwhile() async throws {
        let call = try await Self.stalledCall(stall: { $1.process }, seconds: 0.6)
        let map = Self.toneMap(call.recording)
        let recorded = Double(call.recording.count) / 8000
        // The recording starts at the answer, before the call's time is taken, and ends at the
        // hang-up, after: only frames the clock skipped can make it shorter.
        #expect(
            recorded > call.callSeconds - 0.3,
            "recorded \(recorded) s of a \(call.callSeconds) s call: \(map) \(call.stats)")
        // From 1 s in (the stall starts at 1.5 s) to 0.3 s before the end: the tone, but for at
        // most 200 ms about the stall. The old clock lost the whole stall; a catch-up that ran
        // before the sockets were read (the clock's timer was all a wake-up found when the
        // process stopped) played the stall's slots empty and lost 0.7 s, one run in six
        // beside a CPU hog.
        let judged = map.dropFirst(10).dropLast(3)
        #expect(
            judged.count >= 20 && judged.filter({ $0 != "4" }).count <= 2,
            "tone by 100 ms: \(map), stats \(call.stats), sender's \(call.sent)")
    }

    /// The sender stopped for a second: the packets it sends when it resumes are late for the
    /// slots the receiver has played meanwhile, and the receiver must take them up again at
    /// once instead of dropping them as late for the rest of the call.
    @Test func aStalledSenderIsHeardAgainAtOnce() async throws {
        let call = try await Self.stalledCall(stall: { sender, _ in sender.process }, seconds: 1)
        let map = Self.toneMap(call.recording)
        // The last 1.2 s of the call, but its final 0.2 s: the tone throughout.
        let judged = map.suffix(12).dropLast(2)
        #expect(
            judged.count == 10 && judged.allSatisfy { $0 == "4" },
            "tone by 100 ms: \(map), stats \(call.stats), sender's \(call.sent)")
    }
}
