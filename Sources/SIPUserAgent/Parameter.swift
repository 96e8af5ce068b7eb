import SIPTransport

/// When a changed parameter takes effect in a running agent, weakest first.
public enum LiveEffect: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Used at once (a timer, the screen).
    case immediate
    /// Used by the next request or call; what is under way keeps the old value.
    case nextRequest
    /// Needs a new REGISTER (the binding or its credentials change).
    case reRegister
    /// Needs the transport connection to be made again.
    case reconnect

    public static func < (lhs: LiveEffect, rhs: LiveEffect) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .immediate: return "immediate"
        case .nextRequest: return "next request"
        case .reRegister: return "re-register"
        case .reconnect: return "reconnect"
        }
    }
}

/// The kind of value a parameter takes, for help output.
public enum ParameterType: String, Sendable {
    case string
    case integer
    case boolean
    case sipURI = "SIP URI"
    case uuid = "UUID"
    case stringArray = "array of strings"
    case sockets = "array of socket URLs or {url, weight} tables"
    case choice = "one of a set of words"
    case autoAnswer = "\"off\", \"immediately\" or seconds"
    case keyBindings = "table of action = key or [keys]"
    case iceServers = "array of ICE server URLs or {urls, username, credential} tables"
    case contacts = "array of {name, uri} tables or \"Name <sip:user@host>\" strings"
}

/// One configuration parameter: its name (JsSIP's, or `sipterm.NAME` for sipterm's own), what it
/// takes and how it is checked, and when a change to it takes effect.
public struct Parameter: Sendable {
    public let name: String
    public let type: ParameterType
    /// The default in normalised form; nil when there is none or it is derived (see `jssipDefault`).
    public let defaultValue: ConfigValue?
    /// What JsSIP does when the parameter is absent, in words.
    public let jssipDefault: String
    /// One line: what the parameter does.
    public let help: String
    public let isSecret: Bool
    public let isMandatory: Bool
    public let effect: LiveEffect
    /// The words a `.choice` parameter takes (its checker accepts exactly these); empty otherwise.
    public let choices: [String]
    let check: @Sendable (ConfigValue) throws(Rejection) -> ConfigValue

    init(
        _ name: String, _ type: ParameterType, default defaultValue: ConfigValue? = nil, jssip jssipDefault: String,
        effect: LiveEffect, secret: Bool = false, mandatory: Bool = false, help: String, choices: [String] = [],
        check: @escaping @Sendable (ConfigValue) throws(Rejection) -> ConfigValue
    ) {
        self.choices = choices
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.jssipDefault = jssipDefault
        self.help = help
        self.isSecret = secret
        self.isMandatory = mandatory
        self.effect = effect
        self.check = check
    }

    /// A `.choice` parameter: checked against `choices` (any case in, the listed spelling out).
    init(
        _ name: String, choices: [String], default defaultValue: String, jssip jssipDefault: String,
        effect: LiveEffect, help: String
    ) {
        self.init(
            name, .choice, default: .string(defaultValue), jssip: jssipDefault, effect: effect, help: help,
            choices: choices, check: { value throws(Rejection) in try Check.choice(value, choices) })
    }

    /// Checks a (non-empty) value; returns it normalised, or an error naming the parameter and value.
    public func validate(_ value: ConfigValue) throws(ConfigurationError) -> ConfigValue {
        do {
            return try check(value)
        } catch {
            throw ConfigurationError(parameter: name, reason: "invalid value \(shown(value)): \(error.reason)")
        }
    }

    /// A value as it may be shown or logged: a secret parameter masked whole, and any
    /// `credential` inside a table (an ICE server's) masked.
    public func shown(_ value: ConfigValue) -> String {
        isSecret && !value.isEmpty ? Configuration.mask : value.maskingCredentials.description
    }

    /// The section of the config file the parameter lives in (nil: top level).
    public var fileSection: String? { name.hasPrefix("sipterm.") ? "sipterm" : nil }

    /// The key inside its section.
    public var fileKey: String { fileSection.map { String(name.dropFirst($0.count + 1)) } ?? name }

    /// Several lines for `help NAME`.
    public var helpText: String {
        var lines = ["\(name) — \(help)", "  type: \(type.rawValue)"]
        lines.append("  default: \(defaultValue?.description ?? "none") (JsSIP: \(jssipDefault))")
        lines.append("  takes effect: \(effect)")
        if isMandatory { lines.append("  mandatory") }
        if isSecret { lines.append("  secret: masked in status output") }
        return lines.joined(separator: "\n")
    }
}

/// Why a validator refused a value (the parameter and value are added by `Parameter.validate`).
struct Rejection: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// All the errors of one configuration or one batch of changes; nothing was applied.
public struct ConfigurationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ConfigurationError]

    public init(_ errors: [ConfigurationError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }

    /// The parameters named by the errors.
    public var parameters: [String] { errors.map(\.parameter) }
}
