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
}
