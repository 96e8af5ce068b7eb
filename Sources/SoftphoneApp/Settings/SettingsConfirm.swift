import SIPUserAgent

/// A yes/no question the form asks before doing something disruptive or losing changes.
struct SettingsConfirm: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        case apply([String: ConfigValue])
        case rollback([String: ConfigValue])
        case close
        case revert
    }

    var title: String
    var lines: [String]
    var action: Action
    /// 0: Yes, 1: No.
    var selectedButton = 0
}
