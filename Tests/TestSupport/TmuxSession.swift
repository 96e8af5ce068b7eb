import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program in a real terminal: a detached tmux session on a private server (`-L`), driven the
/// way a person drives it (send-keys) and read back from the screen (capture-pane).
public struct TmuxSession: Sendable {
    public let server: String
    public let target = "phone"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `command` in a `width`×`height` terminal with UTF-8 and plain line drawing. When the
    /// command ends, the pane shows "EXITED <status>" and stays open for reading (the shell sleeps a while after it).
    public static func start(
        _ command: [String], width: Int, height: Int, environment: [String: String] = [:]
    ) async throws -> TmuxSession {
        guard let tmux = which("tmux") else {
            throw Failure(description: "tmux is not installed: scripts/test installs it (apt-get install tmux)")
        }
        let session = TmuxSession(server: "sipterm-test-\(UUID().uuidString.prefix(8))", tmux: tmux)
        var env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NCURSES_NO_UTF8_ACS": "1", "TERM": "tmux-256color"]
        env.merge(environment) { _, given in given }
        let assignments = env.keys.sorted().map { "\($0)=\(quote(env[$0] ?? ""))" }.joined(separator: " ")
        let line = "env \(assignments) \(command.map(quote).joined(separator: " ")); echo EXITED $?; exec sleep 300"
        // The tmux server outlives this call: start it through bash with every descriptor above 2
        // closed, so it cannot keep the caller's open (a build lock held by the test runner).
        let closeAll =
            #"for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; exec "$0" "$@""#
        let result = try await Command(
            "/bin/bash",
            [
                "-c", closeAll, tmux, "-L", session.server, "-f", "/dev/null", "new-session", "-d", "-s", "phone",
                "-x", "\(width)", "-y", "\(height)", line,
            ]
        ).run()
        guard result.status == 0 else { throw Failure(description: "tmux new-session: \(result.stderr)") }
        return session
    }

    let tmuxPath: String

    init(server: String, tmux: String) {
        self.server = server
        self.tmuxPath = tmux
    }

    @discardableResult
    func tmux(_ arguments: [String]) async throws -> String {
        let result = try await Command(tmuxPath, ["-L", server] + arguments).run()
        guard result.status == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }

    /// Keys by tmux name ("Enter", "Escape", "F2", "Tab", "C-c") or single characters.
    public func keys(_ keys: String...) async throws { try await tmux(["send-keys", "-t", target] + keys) }

    /// Text typed literally (multi-byte characters included).
    public func type(_ text: String) async throws { try await tmux(["send-keys", "-t", target, "-l", text]) }

    /// The screen as text, one line per row.
    public func screen() async throws -> String { try await tmux(["capture-pane", "-p", "-t", target]) }

    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `condition`; the failure shows the last screen.
    @discardableResult
    public func waitFor(
        _ what: String, timeout: Duration = .seconds(15), _ condition: @Sendable (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Waits until the screen shows `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(15)) async throws -> String {
        try await waitFor("“\(text)”", timeout: timeout) { $0.contains(text) }
    }

    /// Closes the window: the program's terminal hangs up (tmux sends SIGHUP and closes the pty).
    public func closeWindow() async throws { try await tmux(["kill-window", "-t", target]) }

    /// Runs `body`, then ends the session whatever happened.
    public func run(_ body: (TmuxSession) async throws -> Void) async throws {
        do {
            try await body(self)
        } catch {
            await kill()
            throw error
        }
        await kill()
    }

    /// Ends the tmux server and everything in it (SIGKILL if it lingers).
    public func kill() async {
        let pids = try? await tmux(["display-message", "-p", "-t", target, "#{pid} #{pane_pid}"])
        _ = try? await tmux(["kill-server"])
        let numbers = (pids ?? "").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }.filter { $0 > 1 }
        guard numbers.count == 2 else { return }
        try? await Task.sleep(for: .milliseconds(200))
        _ = Glibc.kill(-numbers[1], SIGKILL)
        _ = Glibc.kill(numbers[0], SIGKILL)
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
