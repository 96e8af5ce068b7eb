import Foundation
import SIPUserAgent
import Synchronization
import TerminalUI

/// Runs the interactive phone: the one loop where keys and UA events become actions, the reducer
/// updates the state, and the screen is drawn and flushed (only what changed). It sleeps when
/// nothing happens: input and events wake it, and a once-a-second tick runs only while a
/// countdown or call timer is on screen.
@MainActor
public final class PhoneRuntime {
    let ua: UserAgent
    var state: AppState
    var theme: Theme
    /// The theme the configuration names (a settings preview may show another for a while).
    var configuredTheme: Theme
    let configFile: ConfigFile
    let demo: DemoLine?
    var backend: NcursesBackend?
    var wakeups: TerminalWakeups?
    var previous: CellBuffer?
    var statusRequested = false
    /// Something changed while a status request was in flight: its answer may predate it.
    var statusStale = false
    var quitting = false
    /// Inputs that came before the loop started (while the UA starts), handled in order then.
    var early: [Input]? = []
    var finished: CheckedContinuation<Void, Never>?
    let post: Inbox

    enum Input: Sendable {
        case action(AppAction)
        case terminal(TerminalWakeups.Wakeup)
    }

    /// Hands inputs from any thread to the loop on the main actor, in the order they came, in one
    /// hop. (An AsyncStream resumes its consumer on the global pool and hops again from there, two
    /// thread wake-ups more for every key, event and tick; and a task per input may start out of
    /// order.) One drain task is scheduled when the queue stops being empty; it takes all there is.
    final class Inbox: Sendable {
        private let pending = Mutex<[Input]>([])
        /// Weak: the inbox must not keep the runtime alive.
        @MainActor weak var runtime: PhoneRuntime?

        func yield(_ input: Input) {
            let first = pending.withLock {
                $0.append(input)
                return $0.count == 1
            }
            if first { Task { @MainActor in self.drain() } }
        }

        @MainActor private func drain() {
            let inputs = pending.withLock {
                let taken = $0
                $0.removeAll(keepingCapacity: true)
                return taken
            }
            for input in inputs { runtime?.handle(input) }
        }
    }

    /// - Parameters:
    ///   - state: the starting state (key map, demo banner, warnings as a notice).
    ///   - demo: the demo line to stop on exit, when it is in use.
    public init(ua: UserAgent, state: AppState, theme: Theme, configFile: ConfigFile, demo: DemoLine?) {
        self.ua = ua
        self.state = state
        self.theme = theme
        self.configuredTheme = theme
        self.configFile = configFile
        self.demo = demo
        post = Inbox()
        post.runtime = self
    }

    /// Takes over the terminal until the user quits; the terminal is restored on the way out.
    public func run() async -> Int32 {
        let backend = NcursesBackend()
        self.backend = backend
        let post = self.post
        let wakeups = TerminalWakeups { post.yield(.terminal($0)) }
        self.wakeups = wakeups
        let events = ua.events
        let eventTask = Task.detached {
            for await event in events { post.yield(.action(.event(event, at: Date()))) }
        }
        await ua.start()
        requestStatus()
        render()
        wakeups.countSeconds(state.needsTick)
        for input in early ?? [] { handle(input) }
        early = nil
        if !quitting { await withCheckedContinuation { finished = $0 } }
        wakeups.stop()
        backend.restore()
        eventTask.cancel()
        for call in state.activeCalls {
            try? await ua.terminate(call.id, statusCode: nil, reasonPhrase: nil)
        }
        await ua.stop()
        await demo?.stop()
        return 0
    }

    /// One turn of the loop: the input becomes actions, then the screen is drawn (only what changed).
    func handle(_ input: Input) {
        guard !quitting else { return }
        guard early == nil else {
            early?.append(input)
            return
        }
        switch input {
        case .terminal(.input): readKeys()
        case .terminal(.resize):
            backend?.refreshSize()
            previous = nil
        case .terminal(.hangup):
            // No one can see or type any more: end as if the user quit.
            quitting = true
        case .terminal(.tick): dispatch(.tick(Date()))
        case .action(let action):
            dispatch(action)
            if case .status = action {
                statusRequested = false
                if statusStale { requestStatus() }
            }
        }
        if quitting {
            finished?.resume()
            finished = nil
            return
        }
        render()
        wakeups?.countSeconds(state.needsTick)
    }

    /// Reads every key curses has, then lets the input thread watch again.
    private func readKeys() {
        guard let backend else { return }
        // Bounded: a key source that never runs dry must not hold the loop.
        for _ in 0..<256 {
            guard let key = backend.readKey(timeoutMs: 0) else { break }
            if key == .resize {
                // curses queues this after `resizeterm` (which the SIGWINCH wake-up already ran).
                previous = nil
                continue
            }
            dispatch(.key(key))
            if quitting { break }
        }
        wakeups?.inputConsumed()
    }

    func dispatch(_ action: AppAction) {
        let effects = AppReducer.reduce(&state, action)
        for effect in effects { perform(effect) }
        if case .event(let event, _) = action, Self.changesStatus(event) { requestStatus() }
        // Call quality (RTP counters) moves on its own: refresh it every other second of a call.
        if case .tick(let time) = action, !state.activeCalls.isEmpty, Int(time.timeIntervalSince1970) % 2 == 0 {
            requestStatus()
        }
    }

    /// Events after which the status snapshot (timers, socket, call media) is worth fetching again.
    private static func changesStatus(_ event: UAEvent) -> Bool {
        switch event {
        case .trace(_, _, _, let text): return text.contains("REGISTER")
        case .newMessage, .newInfo, .newDTMF, .sipEvent, .newOptions: return false
        default: return true
        }
    }

    /// Fetches a status snapshot; at most one request is in flight, and one asked for meanwhile
    /// follows it.
    func requestStatus() {
        guard !statusRequested else {
            statusStale = true
            return
        }
        statusRequested = true
        statusStale = false
        let ua = self.ua
        let post = self.post
        Task {
            let status = await ua.status()
            post.yield(.action(.status(status, at: Date())))
        }
    }

    func render() {
        guard let backend else { return }
        let size = backend.size
        var buffer = CellBuffer(width: size.width, height: size.height)
        Screen.render(state, theme: theme, into: &buffer)
        backend.flush(buffer, previous: previous)
        previous = buffer
    }
}
