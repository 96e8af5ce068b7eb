import Foundation
import SIPUserAgent
import TerminalUI

/// The settings screen's requests: open it on the running configuration, apply through the UA's
/// live-apply API, save through the settings store, preview themes.
extension PhoneRuntime {
    func openSettings() {
        let ua = self.ua
        let post = self.post
        let file = configFile
        Task {
            let current = await ua.configuration.values
            let saved = (try? file.read().values) ?? [:]
            let form = SettingsForm(current: current, saved: saved, themes: Theme.available())
            post.yield(.action(.settings(.opened(form))))
        }
    }

    func settings(_ request: SettingsRequest) {
        let ua = self.ua
        let post = self.post
        let file = configFile
        switch request {
        case .apply(let changes):
            Task {
                do {
                    let change = try await ua.apply(changes)
                    let values = await ua.configuration.values
                    post.yield(.action(.settings(.applied(values: values, effect: change.effect))))
                } catch {
                    post.yield(.action(.settings(.applyFailed("\(error)"))))
                }
            }
            if let name = changes["sipterm.theme"]?.stringValue { setTheme(name, persist: false) }
            if let name = changes["sipterm.theme"]?.stringValue { configuredTheme = Theme.load(nameOrPath: name).theme }
            if let keys = changes["sipterm.keys"] { rebind(keys) }
        case .save(let values):
            if demo != nil, Self.isDemoAccount(values) {
                dispatch(.settings(.saveFailed(Self.demoNotSaved)))
                return
            }
            Task {
                do {
                    try SettingsStore.save(values: values, to: file)
                    post.yield(.action(.settings(.saved(values))))
                } catch {
                    post.yield(.action(.settings(.saveFailed("\(error)"))))
                }
            }
        case .revert:
            Task {
                let current = await ua.configuration.values
                let saved = (try? file.read().values) ?? [:]
                let form = SettingsForm(current: current, saved: saved, themes: Theme.available(), editing: saved)
                post.yield(.action(.settings(.opened(form))))
            }
        case .previewTheme(let name):
            setTheme(name, persist: false)
        case .close:
            break
        }
    }

    static let demoNotSaved =
        "the demo account is not saved: enter your own uri, sockets and password first"

    /// The demo line's account (its port changes on every start, so saving it would break the next one).
    static func isDemoAccount(_ values: [String: ConfigValue]) -> Bool {
        values["uri"]?.stringValue == "sip:\(DemoLine.user)@\(DemoLine.domain)"
    }

    /// New key bindings from the settings: the defaults with the new table on top.
    func rebind(_ value: ConfigValue) {
        var keys = KeyMap()
        if case .table(let table) = value {
            let warnings = keys.apply(table)
            if let first = warnings.first { dispatch(.notice(first, isError: true, at: Date())) }
        }
        state.keys = keys
    }
}
