import Foundation
import SIPMessage
import SIPTransport

/// A whole, validated configuration: the normalised values that were set, and typed accessors
/// that fill in defaults and derived values. Built in one go from raw values: either every
/// value is valid (and min ≤ max holds) or nothing is built and every error is reported.
public struct Configuration: Sendable, Equatable {
    /// What secrets show as in status output and change reports.
    public static let mask = "••••"

    /// The parameters that were set, normalised (defaults are not in here). `instance_id` is
    /// always present: when not given, a random one is generated and kept, so that it persists.
    public let values: [String: ConfigValue]
    public let sockets: [SocketEntry]
    public let uri: SIPURI
    /// `registrar_server`, or the `uri` without user, password, URI parameters and headers.
    public let registrarServer: SIPURI
    public let contactURI: SIPURI?

    public init(_ raw: [String: ConfigValue]) throws(ConfigurationFailure) {
        var errors: [ConfigurationError] = []
        var values: [String: ConfigValue] = [:]
        for name in raw.keys.sorted() {
            guard let value = raw[name], !value.isEmpty else { continue }
            guard let parameter = Parameters.named(name) else {
                errors.append(ConfigurationError(parameter: name, reason: "unknown parameter"))
                continue
            }
            do {
                values[name] = try parameter.validate(value)
            } catch {
                errors.append(error)
            }
        }
        let rejected = Set(errors.map(\.parameter))
        for parameter in Parameters.all where parameter.isMandatory && values[parameter.name] == nil {
            if !rejected.contains(parameter.name) {
                errors.append(ConfigurationError(parameter: parameter.name, reason: "missing parameter"))
            }
        }
        guard errors.isEmpty else { throw ConfigurationFailure(errors) }
        if values["instance_id"] == nil {
            values["instance_id"] = .string(UUID().uuidString.lowercased())
        }
        self.values = values
        do {
            sockets = try Check.socketEntries(values["sockets"] ?? .array([]))
            uri = try Check.sipURI(values["uri"] ?? .string(""), prepend: false)
            if let server = values["registrar_server"] {
                registrarServer = try Check.sipURI(server, prepend: false)
            } else {
                var derived = uri
                derived.user = nil
                derived.password = nil
                derived.parameters = []
                derived.headers = []
                registrarServer = derived
            }
            contactURI = try values["contact_uri"].map { value throws(Rejection) in
                try Check.sipURI(value, prepend: false)
            }
        } catch {
            // Unreachable: the values were validated above.
            throw ConfigurationFailure([ConfigurationError(parameter: "configuration", reason: error.reason)])
        }
    }

    /// Whether `name` was set (rather than defaulted or derived).
    public func isSet(_ name: String) -> Bool { values[name] != nil }

    /// The value in effect: the one set, else the derived or default one; nil when there is none.
    public func value(_ name: String) -> ConfigValue? {
        if let value = values[name] { return value }
        switch name {
        case "authorization_user": return uri.user.map { .string($0) }
        case "registrar_server": return .string(registrarServer.description)
        default: return Parameters.named(name)?.defaultValue
        }
    }

    /// Every value in effect, secrets masked, for status output.
    public func masked() -> [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for parameter in Parameters.all {
            guard let value = value(parameter.name) else { continue }
            out[parameter.name] = parameter.isSecret ? .string(Self.mask) : value.maskingCredentials
        }
        return out
    }

    /// Help for one parameter with its current value (masked when secret); nil for an unknown name.
    public func describe(_ name: String) -> String? {
        guard let parameter = Parameters.named(name) else { return nil }
        let current = value(name).map(parameter.shown) ?? "unset"
        return parameter.helpText + "\n  current: \(current)"
    }

    /// Checks a batch of changes against this configuration. An empty value resets a parameter
    /// to its default; setting `ha1` clears `password` (as JsSIP's `set`) unless the same batch
    /// sets a password. Throws every error of the batch, and then nothing changes.
    public func proposing(_ changes: [String: ConfigValue]) throws(ConfigurationFailure) -> ConfigurationChange {
        var merged = values
        for (name, value) in changes {
            if value.isEmpty && Parameters.named(name) != nil {
                merged.removeValue(forKey: name)
            } else {
                merged[name] = value
            }
        }
        if let ha1 = changes["ha1"], !ha1.isEmpty, changes["password"] == nil {
            merged.removeValue(forKey: "password")
        }
        let next = try Configuration(merged)
        var entries: [ConfigurationChange.Entry] = []
        for parameter in Parameters.all {
            let old = value(parameter.name)
            let new = next.value(parameter.name)
            guard old != new else { continue }
            func shown(_ value: ConfigValue?) -> ConfigValue? {
                parameter.isSecret ? value.map { _ in .string(Self.mask) } : value
            }
            entries.append(
                ConfigurationChange.Entry(
                    name: parameter.name, old: shown(old), new: shown(new), effect: parameter.effect))
        }
        return ConfigurationChange(entries: entries, configuration: next)
    }

    /// Validates and applies changes in one step.
    public func applying(_ changes: [String: ConfigValue]) throws(ConfigurationFailure) -> Configuration {
        try proposing(changes).apply()
    }

    /// Equal when every parameter has the same value in effect (a default set explicitly equals
    /// the default left unset).
    public static func == (lhs: Configuration, rhs: Configuration) -> Bool {
        Parameters.all.allSatisfy { lhs.value($0.name) == rhs.value($0.name) }
    }
}

/// What a batch of changes would do: per changed parameter the old and new value (secrets
/// masked) and when it takes effect, and the strongest effect overall.
public struct ConfigurationChange: Sendable, CustomStringConvertible {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// The value before; nil when unset. Secrets are masked.
        public var old: ConfigValue?
        public var new: ConfigValue?
        public var effect: LiveEffect
    }

    /// The parameters whose value in effect changes, in table order (derived values included,
    /// e.g. `registrar_server` when `uri` changes and it is not set).
    public let entries: [Entry]
    let configuration: Configuration

    /// The strongest effect (immediate < nextRequest < reRegister < reconnect); nil when nothing changes.
    public var effect: LiveEffect? { entries.map(\.effect).max() }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// The new configuration.
    public func apply() -> Configuration { configuration }

    public var description: String {
        guard !entries.isEmpty else { return "no change" }
        return entries.map { entry in
            "\(entry.name): \(entry.old?.description ?? "unset") → \(entry.new?.description ?? "unset") (\(entry.effect))"
        }.joined(separator: "\n")
    }
}
