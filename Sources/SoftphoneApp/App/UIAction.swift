import TerminalUI

/// A named thing the user can do: the unit of key bindings (`[sipterm.keys]`), help and hints.
/// Keys are only shortcuts: most actions are also `:` commands.
public enum UIAction: String, CaseIterable, Sendable {
    case help, settings, call, answer, hangup, hold, mute, transfer, dtmf, quit, message, register, reject, busy
    case focusNext = "focus_next"
    case focusPrevious = "focus_previous"
    case commandLine = "command_line"
    case up, down, top, bottom
    case pageUp = "page_up"
    case pageDown = "page_down"
    case open, filter, ladder
    case pane1 = "pane_1"
    case pane2 = "pane_2"
    case pane3 = "pane_3"
    case pane4 = "pane_4"
    case pane5 = "pane_5"
    case pane6 = "pane_6"

    /// The default keys: an F-key and a letter for every command, arrows and vi keys for movement.
    public var defaultKeys: [Key] {
        switch self {
        case .help: return [.function(1), .character("?")]
        case .settings: return [.function(2), .character("s")]
        case .call: return [.function(3), .character("c")]
        case .answer: return [.function(4), .character("a")]
        case .hangup: return [.function(5), .character("x")]
        case .hold: return [.function(6), .character("o")]
        case .mute: return [.function(7), .character("m")]
        case .transfer: return [.function(8), .character("t")]
        case .dtmf: return [.function(9), .character("d")]
        case .quit: return [.function(10), .character("q")]
        case .message: return [.function(11), .character("w")]
        case .register: return [.function(12), .character("r")]
        case .reject: return [.function(17), .character("X")]
        case .busy: return [.function(16), .character("b")]
        case .focusNext: return [.tab]
        case .focusPrevious: return [.backTab]
        case .commandLine: return [.character(":")]
        case .up: return [.up, .character("k")]
        case .down: return [.down, .character("j")]
        case .top: return [.home, .character("g")]
        case .bottom: return [.end, .character("G")]
        case .pageUp: return [.pageUp, .ctrl("b")]
        case .pageDown: return [.pageDown, .ctrl("f")]
        case .open: return [.enter]
        case .filter: return [.character("/"), .character("f")]
        case .ladder: return [.character("v"), .function(15)]
        case .pane1: return [.character("1")]
        case .pane2: return [.character("2")]
        case .pane3: return [.character("3")]
        case .pane4: return [.character("4")]
        case .pane5: return [.character("5")]
        case .pane6: return [.character("6")]
        }
    }

    /// A short label for the hint bar.
    public var label: String {
        switch self {
        case .help: return "Help"
        case .settings: return "Settings"
        case .call: return "Call"
        case .answer: return "Answer"
        case .hangup: return "Hangup"
        case .hold: return "Hold"
        case .mute: return "Mute"
        case .transfer: return "Transfer"
        case .dtmf: return "DTMF"
        case .quit: return "Quit"
        case .message: return "Message"
        case .register: return "Register"
        case .reject: return "Reject"
        case .busy: return "Busy"
        case .focusNext: return "Next pane"
        case .focusPrevious: return "Previous pane"
        case .commandLine: return "Command"
        case .up: return "Up"
        case .down: return "Down"
        case .top: return "Top"
        case .bottom: return "Bottom"
        case .pageUp: return "Page up"
        case .pageDown: return "Page down"
        case .open: return "Open"
        case .filter: return "Filter"
        case .ladder: return "Ladder"
        case .pane1, .pane2, .pane3, .pane4, .pane5, .pane6: return "Pane"
        }
    }

    /// One line for help.
    public var summary: String {
        switch self {
        case .help: return "help for the focused pane"
        case .settings: return "edit every setting of the running phone"
        case .call: return "dial a number or SIP URI"
        case .answer: return "answer the ringing call"
        case .hangup: return "hang up (or cancel) the selected call"
        case .hold: return "put the selected call on hold, or take it off"
        case .mute: return "mute or unmute your microphone"
        case .transfer: return "transfer the selected call (REFER)"
        case .dtmf: return "send DTMF digits on the selected call"
        case .quit: return "quit (asks when calls are up)"
        case .message: return "send a text MESSAGE"
        case .register: return "register, or unregister when registered"
        case .reject: return "reject the ringing call (603 Decline)"
        case .busy: return "send the ringing call away busy (486 Busy Here)"
        case .focusNext: return "focus the next pane"
        case .focusPrevious: return "focus the previous pane"
        case .commandLine: return "command line (:call bob, :set NAME VALUE, :quit)"
        case .up: return "move up"
        case .down: return "move down"
        case .top: return "go to the top"
        case .bottom: return "go to the bottom (the trace follows new messages)"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .open: return "show the selected message whole; call the selected contact"
        case .filter: return "filter the trace by text"
        case .ladder: return "ladder diagram of the selected dialog, or back to the list"
        case .pane1: return "focus Account"
        case .pane2: return "focus Registration"
        case .pane3: return "focus Calls"
        case .pane4: return "focus SIP trace"
        case .pane5: return "focus Messages"
        case .pane6: return "focus Contacts"
        }
    }

    /// The panes where the action means something particular; nil: everywhere.
    public var panes: Set<PaneID>? {
        switch self {
        case .hangup, .hold, .mute, .transfer, .dtmf, .answer, .reject, .busy: return [.calls]
        case .open: return [.trace, .contacts]
        case .filter, .ladder: return [.trace]
        case .register: return [.registration, .account]
        case .message: return [.messages, .contacts]
        case .up, .down, .top, .bottom, .pageUp, .pageDown: return [.calls, .trace, .messages, .contacts]
        default: return nil
        }
    }

    /// The actions on the bottom hint bar, in order.
    public static let hinted: [UIAction] = [
        .help, .settings, .call, .answer, .hangup, .quit, .hold, .mute, .transfer, .dtmf,
    ]
}
