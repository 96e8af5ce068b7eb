import SIPMessage
import SIPUserAgent
import TerminalUI

/// The settings screen as a value: every parameter of `Parameters.all` in a typed editor, checked
/// by the parameter's own validator and, as a whole, by `Configuration`. It edits a copy (as
/// nmtui does); the app applies or saves what `handle` returns and reports back.
public struct SettingsForm: Sendable {
    var fields: [SettingsField]
    /// The running UA's values (normalised), for "modified" and the apply diff.
    var current: [String: ConfigValue]
    /// The config file's values (normalised where valid), for "unsaved" and Revert.
    var savedValues: [String: ConfigValue]
    /// The values that last applied without error: what a rollback returns to.
    var lastWorking: [String: ConfigValue]
    /// The changes of the apply under way, for the rollback.
    var pending: [String: ConfigValue] = [:]
    /// Index into `lines` of the selected row.
    var selection = 0
    var editing: TextInput?
    var revealed: Set<String> = []
    var message: (text: String, isError: Bool)?
    var confirm: SettingsConfirm?
    var socketStates: [String: String] = [:]
    /// The values when the form opened: leaving asks about unsaved values only when the user changed
    /// something (a generated instance_id or a learned realm alone is not the user's change).
    var openedValues: [String: ConfigValue] = [:]
    /// Every current error, by parameter name, from building a `Configuration` of the form.
    var errors: [String: String] = [:]

    /// `current`: the running UA's values (secrets included: editable, shown masked); `saved`: the
    /// config file's values; `themes`: the names the theme choice offers.
    public init(current: [String: ConfigValue], saved: [String: ConfigValue], themes: [String]) {
        self.init(current: current, saved: saved, themes: themes, editing: current)
    }

    /// As above, with the fields starting from `editing` (Revert: the saved values over the running UA).
    public init(
        current: [String: ConfigValue], saved: [String: ConfigValue], themes: [String],
        editing: [String: ConfigValue]
    ) {
        self.current = Self.normalize(current)
        self.savedValues = Self.normalize(saved)
        self.lastWorking = self.current
        var fields: [SettingsField] = []
        for parameter in Parameters.all {
            let section =
                SettingsSection.of(parameter.name) ?? (parameter.fileSection == nil ? .account : .interface)
            var field = SettingsField(
                parameter: parameter, section: section, editor: .of(parameter, themes: themes), value: nil)
            field.load(editing[parameter.name])
            fields.append(field)
        }
        // Stable: table order within each section.
        self.fields = fields.enumerated().sorted { ($0.element.section, $0.offset) < ($1.element.section, $1.offset) }
            .map(\.element)
        selection = lines.firstIndex(where: \.isSelectable) ?? 0
        revalidate()
        openedValues = values
    }

    // MARK: State the app reads

    /// False while any field is invalid (Apply and Save are refused).
    public var isValid: Bool { errors.isEmpty }

    /// Whether any field differs from the running UA's value.
    public var hasUnappliedChanges: Bool { !changes.isEmpty }

    /// Whether any field differs from the config file's value.
    public var hasUnsavedChanges: Bool {
        fields.contains { !Self.same($0.normalized ?? $0.configValue, savedValues, $0, self) }
    }

    /// The error of a parameter, if any (for tests and the app's status line).
    public func error(for name: String) -> String? { errors[name] }

    /// The raw value a field holds (nil: unset).
    public func value(of name: String) -> ConfigValue? { fields.first { $0.name == name }?.value }

    /// The changes to apply: every field whose value differs from the running one; "" unsets.
    public var changes: [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for field in fields {
            let new = field.normalized
            guard !Self.equivalent(new, current[field.name], field.parameter) else { continue }
            out[field.name] = new ?? .string("")
        }
        return out
    }

    /// Every field that is set, normalised: what Save writes.
    public var values: [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for field in fields { if let value = field.normalized { out[field.name] = value } }
        return out
    }

    // MARK: Reports from the app

    public mutating func report(_ text: String, isError: Bool) { message = (text, isError) }

    public mutating func applyFailed(_ reason: String) {
        message = ("Apply failed: \(reason)", true)
        var rollback = lastWorking
        for name in pending.keys where rollback[name] == nil { rollback[name] = .string("") }
        pending = [:]
        confirm = SettingsConfirm(
            title: "Apply failed",
            lines: [reason, "Roll back to the last working values?"],
            action: .rollback(rollback))
    }

    /// `awaitingServer`: a re-register or reconnect follows, so the values are not known to work
    /// yet; the last working values (and the changes, for a rollback) stay until `accepted()`.
    public mutating func applied(_ values: [String: ConfigValue], awaitingServer: Bool = false) {
        current = Self.normalize(values)
        if !awaitingServer {
            lastWorking = current
            pending = [:]
        }
        for index in fields.indices { fields[index].load(current[fields[index].name]) }
        if message == nil || message?.text.hasPrefix("Applying") == true { message = ("Applied.", false) }
        revalidate()
    }

    /// The server took the applied values (registered again): they are the last working ones.
    public mutating func accepted() {
        lastWorking = current
        pending = [:]
    }

    public mutating func saved(_ values: [String: ConfigValue]) {
        savedValues = Self.normalize(values)
        message = ("Saved.", false)
    }

    public mutating func setSocketStates(_ states: [String: String]) { socketStates = states }

    // MARK: Helpers

    /// Values normalised by their parameters where valid (kept as given otherwise; empties dropped).
    static func normalize(_ values: [String: ConfigValue]) -> [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for (name, value) in values where !value.isEmpty {
            out[name] = Parameters.named(name).flatMap { try? $0.validate(value) } ?? value
        }
        return out
    }

    /// Equal in effect: an unset value equals its default.
    static func equivalent(_ lhs: ConfigValue?, _ rhs: ConfigValue?, _ parameter: SIPUserAgent.Parameter) -> Bool {
        (lhs ?? parameter.defaultValue) == (rhs ?? parameter.defaultValue)
    }

    /// Whether a field matches the saved file, counting a password saved as its HA1 (store_ha1) as
    /// the same password.
    static func same(
        _ value: ConfigValue?, _ saved: [String: ConfigValue], _ field: SettingsField, _ form: SettingsForm
    ) -> Bool {
        if equivalent(value, saved[field.name], field.parameter) { return true }
        guard let savedHA1 = saved["ha1"]?.stringValue, saved["password"] == nil else { return false }
        let ha1 = form.passwordHA1
        switch field.name {
        case "password": return ha1 == savedHA1
        case "ha1": return value == nil && ha1 == savedHA1
        default: return false
        }
    }

    /// MD5(user:realm:password) of the form's values, when all three are known.
    var passwordHA1: String? {
        let values = self.values
        guard let password = values["password"]?.stringValue, let realm = values["realm"]?.stringValue else {
            return nil
        }
        var user = values["authorization_user"]?.stringValue
        if user == nil, let uri = values["uri"]?.stringValue { user = (try? SIPURI(parsing: uri))?.user }
        guard let user else { return nil }
        return DigestAlgorithm.md5.hash("\(user):\(realm):\(password)")
    }

    /// Rebuilds `errors` from one `Configuration` of the whole form: each field's own rule plus the
    /// cross-field ones (mandatory parameters, min ≤ max recovery interval).
    mutating func revalidate() {
        var raw: [String: ConfigValue] = [:]
        for field in fields { if let value = field.configValue { raw[field.name] = value } }
        var found: [String: String] = [:]
        do {
            _ = try Configuration(raw)
        } catch {
            for item in error.errors where found[item.parameter] == nil { found[item.parameter] = item.reason }
        }
        errors = found
    }
}
