import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion with posix_spawn and waitpid, polled so that no thread waits.
/// Foundation's `Process.waitUntilExit` was seen to hang here when a child left a daemon behind;
/// this reads the exit status directly and collects output through a file, never a pipe, so a
/// daemon holding the output open cannot block the caller.
public struct Command: Sendable {
    public var path: String
    public var arguments: [String]
    public var environment: [String: String]
    public var input: [UInt8]?

    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: [UInt8]? = nil) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
        self.input = input
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs to completion, polling for the exit without holding a thread (see
    /// `BackgroundProcess.wait`).
    public func run() async throws -> Result {
        try await execute { pid in
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid { return status }
                guard result == 0 || errno == EINTR else {
                    throw Failure(description: "waitpid failed: \(String(cString: strerror(errno)))")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    private func execute(_ waitForExit: (pid_t) async throws -> Int32) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipterm-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inPath = directory.appendingPathComponent("in").path
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(input ?? []))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        let status = try await waitForExit(pid)
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        func read(_ file: String) -> String {
            (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        }
        return Result(status: exitStatus, stdout: read(outPath), stderr: read(errPath))
    }
}
