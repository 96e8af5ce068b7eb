import SIPUserAgent

/// Descriptions that never show a secret: the form and its requests may end up in a log or a
/// test failure, and the passwords in them must not.
extension SettingsForm: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "SettingsForm(selected: \(selectedParameter ?? "none"), invalid: \(errors.keys.sorted()), "
            + "unapplied: \(changes.keys.sorted()), editing: \(editing != nil))"
    }

    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}

extension SettingsRequest: CustomStringConvertible {
    public var description: String {
        switch self {
        case .apply(let values): return "apply(\(Self.masked(values)))"
        case .save(let values): return "save(\(Self.masked(values)))"
        case .revert: return "revert"
        case .close: return "close"
        case .previewTheme(let name): return "previewTheme(\(name))"
        }
    }

    /// `values` as `name = value` with secrets (non-empty) masked.
    static func masked(_ values: [String: ConfigValue]) -> String {
        values.keys.sorted().map { name in
            let value = values[name] ?? .string("")
            return "\(name) = \(Parameters.named(name)?.shown(value) ?? value.maskingCredentials.description)"
        }.joined(separator: ", ")
    }
}
