import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program running beside a test (sipp, the agent): output to files in its own directory,
/// standard input a pipe the test writes to, waited for off the cooperative pool, killed if it
/// outlives its welcome.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    public let directory: String
    public let name: String
    private let input: Int32
    private let lock = NSLock()
    private var exitStatus: Int32?

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public init(_ path: String, _ arguments: [String], name: String, directory: String? = nil) throws {
        let directory =
            directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sipterm-\(name)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.name = name
        var fds: [Int32] = [0, 0]
        // Close-on-exec: a later child (a daemon like rtpengine) must not hold this pipe open.
        guard pipe(&fds) == 0 else { throw Failure("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, path, &actions, nil, argv, envp)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            throw Failure("cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        self.input = fds[1]
    }

    public var stdout: String { (try? String(contentsOfFile: directory + "/stdout", encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

    public func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBufferPointer { Glibc.write(input, $0.baseAddress, $0.count) }
    }

    public func closeInput() { close(input) }

    /// The exit status, waiting at most `timeout` seconds; after that the process is killed
    /// (status 128+9) so that a hung peer fails the test instead of hanging it. It polls rather
    /// than blocking a thread: on Linux the tasks of every test share a pool as wide as the
    /// machine, and one blocked thread there stalls timers all over the test run.
    public func wait(timeout: Double) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F) }
            if result < 0 && errno != EINTR { return -1 }
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return 128 + 9
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    public func terminate() { kill(pid, SIGTERM) }

    deinit {
        close(input)
        kill(pid, SIGKILL)
    }
}
