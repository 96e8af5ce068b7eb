/// The panes of the main screen, in focus order (Tab, and the digit keys 1…6). Contacts is
/// there only while `sipterm.contacts` lists someone.
public enum PaneID: Int, CaseIterable, Sendable, Hashable {
    case account, registration, calls, trace, messages, contacts

    public var title: String {
        switch self {
        case .account: return "Account"
        case .registration: return "Registration"
        case .calls: return "Calls"
        case .trace: return "SIP trace"
        case .messages: return "Messages"
        case .contacts: return "Contacts"
        }
    }

    public var next: PaneID { PaneID(rawValue: (rawValue + 1) % PaneID.allCases.count) ?? .account }
    public var previous: PaneID {
        PaneID(rawValue: (rawValue + PaneID.allCases.count - 1) % PaneID.allCases.count) ?? .account
    }
}
