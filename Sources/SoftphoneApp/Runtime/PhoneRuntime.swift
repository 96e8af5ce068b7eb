import Foundation
import SIPUserAgent
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
    var ticker: Task<Void, Never>?
    var statusRequested = false
    var quitting = false
    let inputs: AsyncStream<Input>
    let post: AsyncStream<Input>.Continuation

    enum Input: Sendable {
        case action(AppAction)
        case terminal(TerminalWakeups.Wakeup)
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
        (inputs, post) = AsyncStream.makeStream(of: Input.self)
    }

    /// Takes over the terminal until the user quits; the terminal is restored on the way out.
    public func run() async -> Int32 {
        let backend = NcursesBackend()
        self.backend = backend
        let wakeups = TerminalWakeups()
        self.wakeups = wakeups
        let post = self.post
        let events = ua.events
        let eventTask = Task {
            for await event in events { post.yield(.action(.event(event, at: Date()))) }
        }
        let terminalTask = Task {
            for await wakeup in wakeups.wakeups { post.yield(.terminal(wakeup)) }
        }
        await ua.start()
        requestStatus()
        render()
        for await input in inputs {
            switch input {
            case .terminal(.input): readKeys()
            case .terminal(.resize):
                backend.refreshSize()
                previous = nil
            case .terminal(.hangup):
                // No one can see or type any more: end as if the user quit.
                quitting = true
            case .action(let action):
                if case .status = action { statusRequested = false }
                dispatch(action)
            }
            if quitting { break }
            render()
            updateTicker()
        }
        ticker?.cancel()
        wakeups.stop()
        backend.restore()
        eventTask.cancel()
        terminalTask.cancel()
        for call in state.activeCalls {
            try? await ua.terminate(call.id, statusCode: nil, reasonPhrase: nil)
        }
        await ua.stop()
        await demo?.stop()
        return 0
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

    /// Fetches a status snapshot; at most one request is in flight.
    func requestStatus() {
        guard !statusRequested else { return }
        statusRequested = true
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

    /// Starts the one-second tick when something on screen counts, and stops it when nothing does.
    private func updateTicker() {
        if state.needsTick {
            guard ticker == nil else { return }
            let post = self.post
            ticker = Task {
                while !Task.isCancelled {
                    let now = Date().timeIntervalSince1970
                    let wait = 1.0 - (now - now.rounded(.down)) + 0.005
                    try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                    if Task.isCancelled { break }
                    post.yield(.action(.tick(Date())))
                }
            }
        } else {
            ticker?.cancel()
            ticker = nil
        }
    }
}
