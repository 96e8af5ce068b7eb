import Foundation

/// A sipp run on 127.0.0.1 with one of the repo's scenarios (peers/sipp/), bounded in time.
public struct Sipp {
    public static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("peers/sipp").path

    /// Starts `sipp -sf SCENARIO … -i 127.0.0.1 -p PORT -t u1 [REMOTE]` with traces into its directory.
    public static func start(
        _ scenario: String, port: Int, remote: String? = nil, service: String = "bob", arguments: [String] = [],
        timeout: Int = 60
    ) throws -> BackgroundProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipterm-sipp-\(port)-\(UUID().uuidString)"
        ).path
        var args = [
            "-sf", scenarios + "/" + scenario, "-m", "1", "-s", service, "-i", "127.0.0.1", "-p", String(port), "-t",
            "u1", "-nostdin", "-timeout", "\(timeout)s", "-timeout_error", "-trace_err", "-error_file",
            directory + "/sipp_errors.log", "-trace_msg", "-message_file", directory + "/sipp_messages.log",
            "-trace_logs", "-log_file", directory + "/sipp_logs.log",
        ]
        args += arguments
        if let remote { args.append(remote) }
        return try BackgroundProcess("sipp", args, name: "sipp-\(scenario)", directory: directory)
    }

    /// sipp's error and message logs, for failure messages.
    public static func logs(_ process: BackgroundProcess) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: process.directory)) ?? []
        return files.filter {
            $0.hasSuffix("_errors.log") || $0.hasSuffix("_logs.log") || $0.hasSuffix("_messages.log")
        }
        .sorted().map { file in
            let text = (try? String(contentsOfFile: process.directory + "/" + file, encoding: .utf8)) ?? ""
            return "== \(file)\n" + String(text.suffix(4000))
        }.joined(separator: "\n") + "\n== stderr\n" + process.stderr
    }

    /// Waits for sipp to end: its exit status, and its logs for a failure message.
    public static func outcome(
        _ process: BackgroundProcess, timeout: Double = 20
    ) async -> (status: Int32, logs: String) {
        let status = await process.wait(timeout: timeout)
        return (status, status == 0 ? "" : logs(process))
    }
}
