import Foundation
import SIPUserAgent
import TerminalUI

/// Carries out the reducer's effects: UA requests run as tasks and report back as actions, so the
/// loop never waits on the network.
extension PhoneRuntime {
    func perform(_ effect: AppEffect) {
        switch effect {
        case .bell: backend?.bell()
        case .quit: quitting = true
        case .openSettings: openSettings()
        case .settings(let request): settings(request)
        case .settingsClosed:
            theme = configuredTheme
            previous = nil
        case .theme(let name): setTheme(name, persist: true)
        case .get(let name): get(name)
        case .save: save()
        case .set(let name, let text): set(name, text)
        default: request(effect)
        }
    }

    /// Effects that are one UA request: run it, and say what failed.
    private func request(_ effect: AppEffect) {
        let ua = self.ua
        let post = self.post
        Task {
            let failure: String? = await Self.run(effect, on: ua)
            if let failure { post.yield(.action(.notice(failure, isError: true, at: Date()))) }
        }
    }

    /// Performs one UA request; returns an error text, or nil on success.
    private static func run(_ effect: AppEffect, on ua: UserAgent) async -> String? {
        do {
            switch effect {
            case .call(let target): _ = try await ua.call(target)
            case .answer(let id): try await ua.answer(id)
            case .terminate(let id, let code, let reason):
                try await ua.terminate(id, statusCode: code, reasonPhrase: reason)
            case .hold(let id): try await ua.hold(id)
            case .unhold(let id): try await ua.unhold(id)
            case .mute(let id): try await ua.mute(id)
            case .unmute(let id): try await ua.unmute(id)
            case .sendDTMF(let id, let tones): try await ua.sendDTMF(id, tones: tones)
            case .refer(let id, let target): try await ua.refer(id, target: target, replaces: nil)
            case .acceptRefer(let id): _ = try await ua.acceptRefer(id)
            case .rejectRefer(let id): try await ua.rejectRefer(id)
            case .sendMessage(let target, let body):
                _ = try await ua.sendMessage(to: target, body: body, contentType: "text/plain")
            case .sendOptions(let target):
                let response = try await ua.sendOptions(to: target)
                return response.statusCode >= 300 ? "OPTIONS: \(response.statusCode) \(response.reasonPhrase)" : nil
            case .register: await ua.register()
            case .unregister: await ua.unregister(all: false)
            default: break
            }
        } catch {
            return Self.describe(effect) + ": " + "\(error)"
        }
        return nil
    }

    /// `:set NAME VALUE` (TOML value syntax, or plain text): the same live apply as the settings screen.
    private func set(_ name: String, _ text: String) {
        let value = text.isEmpty ? ConfigValue.string("") : ConfigValue(literal: text)
        let ua = self.ua
        let post = self.post
        Task {
            do {
                try await ua.apply([name: value])
            } catch {
                post.yield(.action(.notice("set \(name): \(error)", isError: true, at: Date())))
            }
        }
        if name == "sipterm.theme", let theme = value.stringValue {
            configuredTheme = Theme.load(nameOrPath: theme).theme
            setTheme(theme, persist: false)
        }
        if name == "sipterm.keys" { rebind(value) }
    }

    private static func describe(_ effect: AppEffect) -> String {
        switch effect {
        case .call(let target): return "call \(target)"
        case .sendMessage(let target, _): return "message to \(target)"
        case .set(let name, _): return "set \(name)"
        default: return "\(effect)".components(separatedBy: "(").first ?? "request"
        }
    }

    private func get(_ name: String) {
        let ua = self.ua
        let post = self.post
        Task {
            let configuration = await ua.configuration
            let text: String
            if let parameter = Parameters.named(name) {
                if let value = configuration.masked()[name] {
                    text = "\(name) = \(value.description)"
                } else {
                    text =
                        "\(name) is unset (default: \(parameter.defaultValue?.description ?? parameter.jssipDefault))"
                }
            } else {
                text = "\(name): unknown parameter"
            }
            post.yield(.action(.notice(text, isError: !text.contains(" = ") && !text.contains("unset"), at: Date())))
        }
    }

    /// `:save`: the running configuration to the config file (atomic, 0600, ha1 instead of the password).
    private func save() {
        let ua = self.ua
        let post = self.post
        let file = configFile
        let isDemo = demo != nil
        Task {
            let values = await ua.configuration.values
            if isDemo, Self.isDemoAccount(values) {
                post.yield(.action(.notice(Self.demoNotSaved + " (F2)", isError: true, at: Date())))
                return
            }
            do {
                try SettingsStore.save(values: values, to: file)
                post.yield(.action(.notice("saved \(file.path)", isError: false, at: Date())))
            } catch {
                post.yield(.action(.notice("save failed: \(error)", isError: true, at: Date())))
            }
        }
    }

    /// Shows a theme; with `persist`, also makes it the configured one (`sipterm.theme`).
    func setTheme(_ name: String, persist: Bool) {
        let (loaded, warning) = Theme.load(nameOrPath: name)
        theme = loaded
        previous = nil
        if let warning { dispatch(.notice(warning, isError: true, at: Date())) }
        guard persist, warning == nil else { return }
        configuredTheme = loaded
        perform(.set(name: "sipterm.theme", value: "\"\(name)\""))
    }
}
