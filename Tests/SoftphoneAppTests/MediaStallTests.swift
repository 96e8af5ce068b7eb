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
    /// Which 100 ms windows of a recording hold the tone: `4` tone, `.` anything else.
    static func toneMap(_ samples: [Int16]) -> String {
        stride(from: 0, to: samples.count - 799, by: 800).map { start in
            Goertzel.dominantFrequency(Array(samples[start..<start + 800]), candidates: [440, 1000, 2000]) == 1000
                ? "4" : "."
        }.joined()
    }

    /// A call from `stallsend` to `stallrecv`; `stall` stops one of them 1.5 s into the call
    /// for `seconds`, the call goes on 1.5 s after, and the receiver's recording, the time from
    /// its answer to the hang-up, and its media statistics at the end come back.
    static func stalledCall(
        stall: (_ sender: AgentProcess, _ receiver: AgentProcess) -> BackgroundProcess, seconds: Double
    ) async throws -> (recording: [Int16], callSeconds: Double, stats: [String: Any]) {
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
        let callTime = ContinuousClock.now - answered
        try await sender.command(["cmd": "terminate", "session": outgoing])
        try await receiver.event("ended", session: incoming)
        await sender.stop()
        await receiver.stop()
        let seconds = Double(callTime.components.seconds) + Double(callTime.components.attoseconds) / 1e18
        return (try WAVFile.readTelephony(path: recording), seconds, stats)
    }

    /// The receiver stopped for a second: what reached its socket meanwhile is played when it
    /// resumes, so the recording keeps the call's length and the tone runs through the stall.
    @Test func aStalledReceiverPlaysWhatCameMeanwhile() async throws {
        let call = try await Self.stalledCall(stall: { $1.process }, seconds: 1)
        let map = Self.toneMap(call.recording)
        let recorded = Double(call.recording.count) / 8000
        #expect(recorded > call.callSeconds - 0.5, "recorded \(recorded) s of a \(call.callSeconds) s call: \(map)")
        // From 1 s in (the stall starts at 1.5 s) to 0.3 s before the end: the tone throughout.
        let judged = map.dropFirst(10).dropLast(3)
        #expect(judged.count >= 20 && !judged.contains("."), "tone by 100 ms: \(map), stats \(call.stats)")
        #expect(call.stats["late"] as? Double == 0, "stats \(call.stats)")
    }

    /// The sender stopped for a second: the packets it sends when it resumes are late for the
    /// slots the receiver has played meanwhile, and the receiver must take them up again at
    /// once instead of dropping them as late for the rest of the call.
    @Test func aStalledSenderIsHeardAgainAtOnce() async throws {
        let call = try await Self.stalledCall(stall: { sender, _ in sender.process }, seconds: 1)
        let map = Self.toneMap(call.recording)
        // The last 1.2 s of the call, but its final 0.2 s: the tone throughout.
        let judged = map.suffix(12).dropLast(2)
        #expect(judged.count == 10 && !judged.contains("."), "tone by 100 ms: \(map), stats \(call.stats)")
    }
}
