import Foundation
import SIPUserAgent

/// One parameter in the form: its editor and the value typed so far (nil when unset, i.e. the
/// default applies). The value is kept raw; the parameter's validator normalises it on demand.
struct SettingsField: Sendable {
    let parameter: Parameter
    let section: SettingsSection
    let editor: SettingsEditor
    var value: ConfigValue?

    var name: String { parameter.name }

    /// The name shown on the row: JsSIP's name, or the key inside `[sipterm]`.
    var label: String { parameter.fileKey }

    /// The value as the parameter takes it (a bindings list becomes its table); nil when unset.
    var configValue: ConfigValue? {
        guard let value, !value.isEmpty else { return nil }
        guard editor == .bindings else { return value }
        var table: [String: ConfigValue] = [:]
        for line in lineItems {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let keys = (parts.count == 2 ? parts[1] : "").split(separator: ",").map {
                ConfigValue.string($0.trimmingCharacters(in: .whitespaces))
            }
            table[parts.first ?? line] = keys.count == 1 ? keys[0] : .array(keys)
        }
        return .table(table)
    }

    /// Sets the field from a parameter value (a table becomes bindings rows).
    mutating func load(_ given: ConfigValue?) {
        guard let given, !given.isEmpty else {
            value = nil
            return
        }
        guard editor == .bindings, case .table(let table) = given else {
            value = given
            return
        }
        lineItems = table.keys.sorted().map { action in
            let keys = table[action]?.arrayValue ?? table[action].map { [$0] } ?? []
            return "\(action) = " + keys.map { Self.text(of: $0) }.joined(separator: ", ")
        }
    }

    /// The value normalised by the parameter's validator; nil when unset or invalid.
    var normalized: ConfigValue? {
        guard let value = configValue else { return nil }
        return try? parameter.validate(value)
    }

    /// The value in effect: the one set, else the default.
    var effective: ConfigValue? { normalized ?? parameter.defaultValue }

    /// A textual editor's text for a value.
    static func text(of value: ConfigValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .integer(let number)?: return String(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        case nil: return ""
        case let other?: return other.description
        }
    }

    /// The items of a list field (`lines`): each as text. An ICE server shows as its URLs
    /// (its username and credential are config-file only, never on screen) and keeps them while
    /// its URLs stay the same; a contact shows as `Name <uri>`.
    var lineItems: [String] {
        get { value?.arrayValue?.map(Self.lineText) ?? [] }
        set {
            let kept = value?.arrayValue ?? []
            value =
                newValue.isEmpty
                ? nil
                : .array(newValue.map { line in kept.first { Self.lineText($0) == line } ?? .string(line) })
        }
    }

    private static func lineText(_ item: ConfigValue) -> String {
        if case .table(let table) = item, let urls = table["urls"]?.arrayValue {
            return urls.map { text(of: $0) }.joined(separator: " ")
        }
        if case .table(let table) = item, let uri = table["uri"]?.stringValue {
            return table["name"]?.stringValue.map { "\($0) <\(uri)>" } ?? uri
        }
        return text(of: item)
    }

    /// The rows of `sockets`: a URL and a weight each (a lone URL string has weight 0).
    var socketItems: [SocketItem] {
        get {
            let items: [ConfigValue]
            switch value {
            case .array(let list)?: items = list
            case let single?: items = [single]
            case nil: items = []
            }
            return items.map { item in
                if case .table(let table) = item {
                    return SocketItem(
                        url: Self.text(of: table["url"]), weight: table["weight"]?.integerValue ?? 0)
                }
                return SocketItem(url: Self.text(of: item), weight: 0)
            }
        }
        set {
            value =
                newValue.isEmpty
                ? nil
                : .array(
                    newValue.map { item in
                        item.weight == 0
                            ? .string(item.url)
                            : .table(["url": .string(item.url), "weight": .integer(item.weight)])
                    })
        }
    }

    /// How many item rows the field has (list editors only).
    var itemCount: Int {
        switch editor {
        case .sockets: return socketItems.count
        case .lines, .bindings: return lineItems.count
        default: return 0
        }
    }

    /// The text an item row edits.
    func itemText(_ index: Int) -> String {
        switch editor {
        case .sockets:
            let items = socketItems
            return items.indices.contains(index) ? items[index].url : ""
        default:
            let items = lineItems
            return items.indices.contains(index) ? items[index] : ""
        }
    }

    /// Replaces (or, with "", removes) one item.
    mutating func setItem(_ index: Int, _ text: String) {
        switch editor {
        case .sockets:
            var items = socketItems
            guard items.indices.contains(index) else { return }
            if text.isEmpty { items.remove(at: index) } else { items[index].url = text }
            socketItems = items
        default:
            var items = lineItems
            guard items.indices.contains(index) else { return }
            if text.isEmpty { items.remove(at: index) } else { items[index] = text }
            lineItems = items
        }
    }

    mutating func insertItem(at index: Int, _ text: String) {
        switch editor {
        case .sockets:
            var items = socketItems
            items.insert(SocketItem(url: text, weight: 0), at: min(max(0, index), items.count))
            socketItems = items
        default:
            var items = lineItems
            items.insert(text, at: min(max(0, index), items.count))
            lineItems = items
        }
    }

    mutating func removeItem(_ index: Int) { setItem(index, "") }

    /// Moves an item one place up (`by` -1) or down (+1); false when it cannot move.
    mutating func moveItem(_ index: Int, by offset: Int) -> Bool {
        let target = index + offset
        guard index >= 0, target >= 0, target < itemCount, index < itemCount else { return false }
        switch editor {
        case .sockets:
            var items = socketItems
            items.swapAt(index, target)
            socketItems = items
        default:
            var items = lineItems
            items.swapAt(index, target)
            lineItems = items
        }
        return true
    }
}

/// One `sockets` row.
struct SocketItem: Sendable, Equatable {
    var url: String
    var weight: Int
}
