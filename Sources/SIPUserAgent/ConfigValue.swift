import TOMLKit
import TOMLText

/// A configuration value as the config file, `--set KEY=VALUE` or a JSON `set` gives it, before
/// validation. The validators decide which cases each parameter takes.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])

    /// JsSIP's "empty" values, which mean "use the default": an empty string, an empty array or
    /// table, and a NaN.
    public var isEmpty: Bool {
        switch self {
        case .string(let text): return text.isEmpty
        case .array(let items): return items.isEmpty
        case .table(let entries): return entries.isEmpty
        case .double(let number): return number.isNaN
        case .integer, .bool: return false
        }
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integerValue: Int? {
        if case .integer(let number) = self { return number }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var arrayValue: [ConfigValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The value in TOML syntax (strings quoted, tables inline, keys sorted).
    public var description: String {
        switch self {
        case .string(let text): return TOMLWriter.quote(text)
        case .integer(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .table(let entries):
            if entries.isEmpty { return "{}" }
            let body = entries.keys.sorted().map { key in "\(key) = \(entries[key]?.description ?? "\"\"")" }
            return "{ " + body.joined(separator: ", ") + " }"
        }
    }

    /// The value of `--set KEY=VALUE`: TOML value syntax when it parses as one (`true`, `30`,
    /// `"text"`, `["PCMU", "PCMA"]`, `{ url = "…", weight = 1 }`), otherwise the text itself, so
    /// `--set uri=sip:alice@example.com` needs no quotes.
    public init(literal text: String) {
        if let table = try? TOMLText.parse("value = " + text), let value = table["value"] {
            self = ConfigValue(toml: value)
        } else {
            self = .string(text)
        }
    }

    /// Splits `KEY=VALUE` (the `--set` form) at the first `=`; nil without one.
    public static func assignment(_ text: String) -> (name: String, value: ConfigValue)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = text[..<equals].trimmingCharacters(in: " \t")
        guard !name.isEmpty else { return nil }
        return (name, ConfigValue(literal: String(text[text.index(after: equals)...])))
    }

    init(toml value: any TOMLValueConvertible) {
        switch value.type {
        case .bool: self = .bool(value.bool ?? false)
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .double(value.double ?? .nan)
        case .string: self = .string(value.string ?? "")
        case .array: self = .array((value.array ?? TOMLArray()).map { ConfigValue(toml: $0) })
        case .table:
            var entries: [String: ConfigValue] = [:]
            if let table = value.table {
                for (key, item) in table { entries[key] = ConfigValue(toml: item) }
            }
            self = .table(entries)
        default: self = .string(value.debugDescription)
        }
    }
}

extension ConfigValue: Codable {
    /// Decodes a JSON value: booleans, whole numbers, other numbers, strings, arrays and objects.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([ConfigValue].self) {
            self = .array(items)
        } else if let entries = try? container.decode([String: ConfigValue].self) {
            self = .table(entries)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a configuration value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        case .table(let entries): try container.encode(entries)
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

extension ConfigValue {
    /// The value with every table entry named `credential` masked, however deep.
    public var maskingCredentials: ConfigValue {
        switch self {
        case .array(let items): return .array(items.map(\.maskingCredentials))
        case .table(let entries):
            var masked: [String: ConfigValue] = [:]
            for (key, value) in entries {
                masked[key] =
                    key == "credential" && !value.isEmpty ? .string(Configuration.mask) : value.maskingCredentials
            }
            return .table(masked)
        default: return self
        }
    }
}
