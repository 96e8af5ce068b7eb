@preconcurrency import CNcurses
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes the UI when the terminal has input or changed size, when asked a second has passed, and
/// never otherwise: a thread sleeps in poll(2) on standard input and on a pipe the SIGWINCH handler
/// writes to. An idle phone therefore costs no CPU, and a counting one one thread wake-up a second
/// (the poll's own timeout, not a timer on another thread and a hop from it). After `.input` the
/// thread waits for `inputConsumed()` (the UI read the keys through curses) before it polls again,
/// so unread input does not spin it.
public final class TerminalWakeups: @unchecked Sendable {
    /// `hangup`: the terminal is gone (its pty closed), even when SIGHUP is ignored. `tick`: a new
    /// second of the wall clock began (only while `countSeconds(true)`).
    public enum Wakeup: Sendable { case input, resize, hangup, tick }

    private let yield: @Sendable (Wakeup) -> Void
    private let readEnd: Int32
    private let writeEnd: Int32
    private let consumed = DispatchSemaphore(value: 0)
    private let ticking = Atomic<Bool>(false)

    /// Installs the SIGWINCH handler (call after curses started, so it replaces curses' own) and starts
    /// the watching thread.
    /// - Parameter yield: hears each wake-up, on the watching thread: it should only hand it on (to
    ///   the UI's actor).
    public init(yield: @escaping @Sendable (Wakeup) -> Void) {
        self.yield = yield
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        readEnd = ends[0]
        writeEnd = ends[1]
        if writeEnd >= 0 {
            _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
            shim_install_winch_pipe(writeEnd)
        }
        let thread = Thread { [self] in watch() }
        thread.name = "sipterm-input"
        thread.start()
    }

    /// Asks for a `.tick` just after each wall-clock second begins (while a countdown or call timer
    /// is on screen), or for none.
    public func countSeconds(_ on: Bool) {
        guard ticking.exchange(on, ordering: .relaxed) != on else { return }
        // Wake the poll so that it takes the new timeout now.
        var byte: UInt8 = UInt8(ascii: "t")
        if writeEnd >= 0 { _ = write(writeEnd, &byte, 1) }
    }

    /// Milliseconds from now to 5 ms after the next second begins.
    private static func untilNextSecond() -> Int32 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int32(1005 - now.tv_nsec / 1_000_000)
    }

    /// The UI has read the pending input; watch standard input again.
    public func inputConsumed() { consumed.signal() }

    /// Ends the thread and the stream.
    public func stop() {
        var byte: UInt8 = UInt8(ascii: "x")
        if writeEnd >= 0 { _ = write(writeEnd, &byte, 1) }
        consumed.signal()
    }

    private func watch() {
        var watchInput = true
        while true {
            var fds = [
                pollfd(fd: watchInput ? STDIN_FILENO : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, ticking.load(ordering: .relaxed) ? Self.untilNextSecond() : -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                yield(.tick)
                continue
            }
            if fds[1].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                let count = read(readEnd, &bytes, bytes.count)
                if count <= 0 || bytes[0..<count].contains(UInt8(ascii: "x")) { break }
                if bytes[0..<count].contains(UInt8(ascii: "w")) { yield(.resize) }
            }
            let input = fds[0].revents
            if input & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away (a hung-up pty also reports POLLIN, with nothing to read):
                // tell the UI once and stop watching it.
                watchInput = false
                yield(.hangup)
            } else if input & Int16(POLLIN) != 0 {
                yield(.input)
                consumed.wait()
            }
        }
    }
}
