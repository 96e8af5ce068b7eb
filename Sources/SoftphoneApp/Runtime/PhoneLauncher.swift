import Foundation
import SIPUserAgent
import TerminalUI

/// Starts the interactive phone: reads the config file, falls back to the demo line when no
/// account is configured (or the file cannot be used: the reason is shown), picks the theme and
/// key bindings, and hands the terminal to `PhoneRuntime`.
public enum PhoneLauncher {
    public struct Options: Sendable {
        public var configPath: String?
        public var assignments: [String]
        public var theme: String?
        public var forceDemo: Bool

        public init(configPath: String?, assignments: [String], theme: String?, forceDemo: Bool) {
            self.configPath = configPath
            self.assignments = assignments
            self.theme = theme
            self.forceDemo = forceDemo
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    @MainActor
    public static func run(_ options: Options) async throws(Failure) -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw Failure(description: "the phone needs a terminal; for scripts use `sipterm agent`")
        }
        let file = ConfigFile(path: options.configPath)
        var notices: [String] = []
        var raw: [String: ConfigValue] = [:]
        if file.exists {
            do {
                let contents = try file.read()
                raw = contents.values
                notices += contents.warnings
            } catch {
                notices.append("\(error) — using the demo line")
            }
        }
        for assignment in options.assignments {
            guard let (name, value) = ConfigValue.assignment(assignment) else {
                throw Failure(description: "--set \(assignment): expected KEY=VALUE")
            }
            raw[name] = value
        }
        if let theme = options.theme { raw["sipterm.theme"] = .string(theme) }

        var configuration: Configuration?
        if !options.forceDemo, raw["uri"] != nil, raw["sockets"] != nil {
            do {
                configuration = try Configuration(raw)
            } catch {
                let reason = error.errors.first?.description ?? "\(error)"
                notices.append("config: \(reason) — using the demo line; fix it in Settings (F2)")
            }
        }
        var demo: DemoLine?
        if configuration == nil {
            let line: DemoLine
            do {
                line = try await DemoLine.start()
            } catch {
                throw Failure(description: "cannot start the demo line: \(error)")
            }
            demo = line
            // The user's own settings (theme, keys, audio) stay; the account is the demo's.
            var values = raw.filter { Parameters.named($0.key)?.fileSection != nil }
            values.merge(line.configurationValues) { _, demo in demo }
            do {
                configuration = try Configuration(values)
            } catch {
                configuration = try? Configuration(line.configurationValues)
                notices.append("config: \(error.errors.first?.description ?? "\(error)")")
            }
        }
        guard let configuration else { throw Failure(description: "no usable configuration") }

        var keys = KeyMap()
        if case .table(let table)? = configuration.value("sipterm.keys") { notices += keys.apply(table) }
        let (theme, themeWarning) = Theme.load(nameOrPath: configuration.theme)
        if let themeWarning { notices.append(themeWarning) }

        var state = AppState(keys: keys, now: Date())
        state.account.uri = configuration.uri.description
        state.account.displayName = configuration.displayName
        state.account.userAgent = configuration.userAgent
        state.registration.registrar = configuration.registrarServer.description
        state.bell = configuration.value("sipterm.bell")?.boolValue ?? true
        if demo != nil { state.demo = DemoBanner(extensions: DemoLine.extensions) }
        if !notices.isEmpty {
            state.notice = Notice(text: notices.joined(separator: "; "), isError: true, time: Date())
        }
        let ua = UserAgent(configuration: configuration, trace: true, media: RTPMediaFactory())
        let runtime = PhoneRuntime(ua: ua, state: state, theme: theme, configFile: file, demo: demo)
        return await runtime.run()
    }
}
