import SIPUserAgent
import TerminalUI

/// Which key does what: the defaults of `UIAction`, with `[sipterm.keys]` on top. A key given to
/// an action in the config file is taken away from any other action.
public struct KeyMap: Sendable, Equatable {
    public private(set) var keysByAction: [UIAction: [Key]]
    private var actionByKey: [Key: UIAction]

    public init() {
        keysByAction = Dictionary(uniqueKeysWithValues: UIAction.allCases.map { ($0, $0.defaultKeys) })
        actionByKey = [:]
        rebuild()
    }

    /// Applies the `sipterm.keys` table; returns a warning for each entry that could not be used.
    public mutating func apply(_ bindings: [String: ConfigValue]) -> [String] {
        var warnings: [String] = []
        for name in bindings.keys.sorted() {
            guard let action = UIAction(rawValue: name) else {
                warnings.append("[sipterm.keys] \(name): no such action")
                continue
            }
            let names: [String]
            switch bindings[name] {
            case .string(let text)?: names = [text]
            case .array(let items)?: names = items.compactMap(\.stringValue)
            default: names = []
            }
            var keys: [Key] = []
            for keyName in names {
                if let key = KeyName.parse(keyName) {
                    keys.append(key)
                } else {
                    warnings.append("[sipterm.keys] \(name): unknown key \"\(keyName)\"")
                }
            }
            guard !keys.isEmpty else { continue }
            for other in UIAction.allCases where other != action {
                keysByAction[other]?.removeAll { keys.contains($0) }
            }
            keysByAction[action] = keys
        }
        rebuild()
        return warnings
    }

    private mutating func rebuild() {
        actionByKey = [:]
        for action in UIAction.allCases {
            for key in keysByAction[action] ?? [] where actionByKey[key] == nil { actionByKey[key] = action }
        }
    }

    public func action(for key: Key) -> UIAction? { actionByKey[key] }
    public func keys(for action: UIAction) -> [Key] { keysByAction[action] ?? [] }

    /// "F5 x": every key of an action, for help.
    public func spelling(_ action: UIAction) -> String { keys(for: action).map(KeyName.spell).joined(separator: " ") }
    /// The first key only, for the hint bar.
    public func shortSpelling(_ action: UIAction) -> String { keys(for: action).first.map(KeyName.spell) ?? "" }
}
