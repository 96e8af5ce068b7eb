import SIPUserAgent

/// How a field is edited, chosen from the parameter's type (and, for the theme and the UUID, from
/// what the form knows beyond the table: the installed themes, the generate action).
public enum SettingsEditor: Sendable, Equatable {
    case text
    case sipURI
    case secret
    case toggle
    /// Cycled with ←/→/Space; `options` in display order.
    case choice([String])
    case integer
    case uuid
    /// `sockets`: one URL and weight per row.
    case sockets
    /// One string per row (`extra_headers`, `sipterm.codecs`).
    case lines
    /// A table edited as one `name = value, value` row per entry (`sipterm.keys`).
    case bindings

    static func of(_ parameter: Parameter, themes: [String]) -> SettingsEditor {
        if parameter.name == "sipterm.theme" { return .choice(themes.isEmpty ? ["default"] : themes) }
        if parameter.isSecret { return .secret }
        switch parameter.type {
        case .string, .autoAnswer: return .text
        case .integer: return .integer
        case .boolean: return .toggle
        case .sipURI: return .sipURI
        case .uuid: return .uuid
        case .stringArray, .iceServers, .contacts: return .lines
        case .sockets: return .sockets
        case .choice: return .choice(choiceOptions(parameter))
        case .keyBindings: return .bindings
        }
    }

    /// The words a choice parameter takes, from the table; the default first.
    static func choiceOptions(_ parameter: Parameter) -> [String] {
        var options = parameter.choices
        if let first = parameter.defaultValue?.stringValue, options.contains(first) {
            options.removeAll { $0 == first }
            options.insert(first, at: 0)
        }
        return options
    }

    var isList: Bool { self == .sockets || self == .lines || self == .bindings }
    var isTextual: Bool {
        switch self {
        case .text, .sipURI, .secret, .integer, .uuid: return true
        default: return false
        }
    }
}
