import Foundation
import SIPUserAgent
import TerminalUI

/// Everything that can change the state: keys, the UA's events and status, the clock, and the
/// results of effects.
public enum AppAction: Sendable {
    case key(Key)
    case event(UAEvent, at: Date)
    case status(UAStatus, at: Date)
    case tick(Date)
    case notice(String, isError: Bool, at: Date)
    case settings(SettingsOutcome)
}

/// What became of a settings request the runtime carried out.
public enum SettingsOutcome: Sendable {
    case opened(SettingsForm)
    case applied(values: [String: ConfigValue], effect: LiveEffect?)
    case applyFailed(String)
    case saved([String: ConfigValue])
    case saveFailed(String)
}
