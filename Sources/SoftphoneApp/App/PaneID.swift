/// The panes of the main screen, in focus order (Tab, and the digit keys 1…5).
public enum PaneID: Int, CaseIterable, Sendable, Hashable {
    case account, registration, calls, trace, messages

    public var title: String {
        switch self {
        case .account: return "Account"
        case .registration: return "Registration"
        case .calls: return "Calls"
        case .trace: return "SIP trace"
        case .messages: return "Messages"
        }
    }

    public var next: PaneID { PaneID(rawValue: (rawValue + 1) % PaneID.allCases.count) ?? .account }
    public var previous: PaneID {
        PaneID(rawValue: (rawValue + PaneID.allCases.count - 1) % PaneID.allCases.count) ?? .account
    }
}
