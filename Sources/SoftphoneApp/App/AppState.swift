import Foundation
import SIPUserAgent
import TerminalUI

/// Everything the screen shows. Views are functions of it; only the reducer changes it.
public struct AppState: Sendable {
    public var account = AccountState()
    public var registration = RegistrationState()
    public var calls: [CallRow] = []
    /// The selected call's id (the Calls pane's selection and the target of call actions).
    public var selectedCall: String?
    public var trace = TraceLog()
    public var messages: [MessageEntry] = []
    public var selectedMessage: Int?
    public var focus = PaneID.calls
    /// The Contacts pane's people (`sipterm.contacts`) and their live state.
    public var contacts: [ContactRow] = []
    public var selectedContact: Int?
    public var overlay: Overlay?
    public var prompt: Prompt?
    public var notice: Notice?
    /// The last voicemail summary (RFC 3842), shown in the status line while messages wait.
    public var voicemail: MessageSummary?
    /// Set on the demo line: the banner says so and how to configure a real account.
    public var demo: DemoBanner?
    public var keys: KeyMap
    public var now: Date
    /// Whether a call arriving rings the terminal bell (`sipterm.bell`).
    public var bell = true
    /// The settings screen while it is open (overlay `.settings`).
    public var settings: SettingsForm?
    /// A settings apply whose outcome the screen is waiting for (re-register, reconnect).
    public var settingsWatch: SettingsWatch?
    public var commandHistory: [String] = []
    public var dialHistory: [String] = []
    /// Ended calls kept on screen, newest last.
    public static let endedCallsKept = 5

    public init(keys: KeyMap = KeyMap(), now: Date = Date()) {
        self.keys = keys
        self.now = now
    }

    public var activeCalls: [CallRow] { calls.filter { !$0.phase.isEnded } }

    /// The call actions act on: the selected one if it is still up, else the newest live call.
    public var currentCall: CallRow? {
        if let id = selectedCall, let call = calls.first(where: { $0.id == id }), !call.phase.isEnded { return call }
        return calls.last { !$0.phase.isEnded }
    }

    /// Something on screen counts down or up each second (registration timers, call durations).
    public var needsTick: Bool {
        registration.refreshAt != nil || registration.expiresAt != nil || !activeCalls.isEmpty
    }
}

/// The demo line's banner text parts.
public struct DemoBanner: Sendable, Equatable {
    public var extensions: [String]
    public init(extensions: [String]) { self.extensions = extensions }
}

/// A one-line message at the bottom: the result of a command, or an error.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public var time: Date

    public init(text: String, isError: Bool, time: Date) {
        self.text = text
        self.isError = isError
        self.time = time
    }
}

/// What sits over the panes; keys go to it first.
public enum Overlay: Sendable, Equatable {
    case help(PaneID)
    case incomingCall(id: String, button: Int)
    case confirmQuit(button: Int)
    case rawMessage(TraceEntry, scroll: Int)
    case referRequest(id: String, target: String, button: Int)
    case settings
}

/// A one-line input at the bottom of the screen.
public struct Prompt: Sendable {
    public enum Kind: Sendable, Equatable {
        case command
        case dial
        case transfer(callID: String)
        case dtmf(callID: String)
        case messageTarget
        case messageBody(peer: String)
        case filter
    }

    public var kind: Kind
    public var input: TextInput

    public init(kind: Kind, input: TextInput = TextInput()) {
        self.kind = kind
        self.input = input
    }

    public var label: String {
        switch kind {
        case .command: return ":"
        case .dial: return "Call: "
        case .transfer: return "Transfer to: "
        case .dtmf: return "DTMF: "
        case .messageTarget: return "Message to: "
        case .messageBody(let peer): return "Message to \(peer): "
        case .filter: return "Filter: "
        }
    }
}
