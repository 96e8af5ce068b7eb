@preconcurrency import CNcurses
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes the UI when the terminal has input or changed size, and never otherwise: a thread sleeps in
/// poll(2) on standard input and on a pipe the SIGWINCH handler writes to. An idle phone therefore
/// costs no CPU. After `.input` the thread waits for `inputConsumed()` (the UI read the keys through
/// curses) before it polls again, so unread input does not spin it.
public final class TerminalWakeups: @unchecked Sendable {
    /// `hangup`: the terminal is gone (its pty closed), even when SIGHUP is ignored.
    public enum Wakeup: Sendable { case input, resize, hangup }

    public let wakeups: AsyncStream<Wakeup>
    private let continuation: AsyncStream<Wakeup>.Continuation
    private let readEnd: Int32
    private let writeEnd: Int32
    private let consumed = DispatchSemaphore(value: 0)

    /// Installs the SIGWINCH handler (call after curses started, so it replaces curses' own) and starts
    /// the watching thread.
    public init() {
        (wakeups, continuation) = AsyncStream.makeStream(of: Wakeup.self, bufferingPolicy: .bufferingNewest(16))
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        readEnd = ends[0]
        writeEnd = ends[1]
        if writeEnd >= 0 {
            _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
            shim_install_winch_pipe(writeEnd)
        }
        let thread = Thread { [self] in watch() }
        thread.name = "sipterm-terminal-input"
        thread.start()
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
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                let count = read(readEnd, &bytes, bytes.count)
                if count <= 0 || bytes[0..<count].contains(UInt8(ascii: "x")) { break }
                continuation.yield(.resize)
            }
            let input = fds[0].revents
            if input & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away (a hung-up pty also reports POLLIN, with nothing to read):
                // tell the UI once and stop watching it.
                watchInput = false
                continuation.yield(.hangup)
            } else if input & Int16(POLLIN) != 0 {
                continuation.yield(.input)
                consumed.wait()
            }
        }
        continuation.finish()
    }
}
