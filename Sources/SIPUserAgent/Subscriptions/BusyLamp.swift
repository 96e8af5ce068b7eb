/// A watched line's state from its dialog-info (RFC 4235), as a busy-lamp field shows it: idle,
/// ringing (a call being set up), or busy (a call established). A partial document (state
/// "partial") updates the dialogs it names; a full one replaces them.
public struct BusyLamp: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case idle, ringing, busy
    }

    /// The dialogs known, by id, with their RFC 4235 state (trying, proceeding, early,
    /// confirmed, terminated) and direction.
    public private(set) var dialogs: [String: (state: String, direction: String?)] = [:]
    /// The version of the last document applied; an older or repeated one is ignored.
    public private(set) var version: Int?

    public init() {}

    public static func == (lhs: BusyLamp, rhs: BusyLamp) -> Bool {
        lhs.version == rhs.version && lhs.dialogs.mapValues(\.state) == rhs.dialogs.mapValues(\.state)
    }

    /// Applies a dialog-info body.
    public mutating func apply(dialogInfo text: String) throws(XMLError) {
        let root = try XMLTree.parse(text)
        guard root.name == "dialog-info" else {
            throw XMLError(reason: "not a dialog-info document (root <\(root.name)>)")
        }
        guard let number = root.attributes["version"].flatMap({ Int($0) }), number >= 0 else {
            throw XMLError(reason: "dialog-info without a version")
        }
        let full = root.attributes["state"]?.lowercased() != "partial"
        // RFC 4235 §4.1.2: a version not above the last is stale, unless a full document restarts.
        if let version, number <= version, !full { return }
        var dialogs = full ? [:] : self.dialogs
        for dialog in root.children("dialog") {
            guard let id = dialog.attributes["id"], !id.isEmpty else {
                throw XMLError(reason: "a <dialog> without an id")
            }
            let state = dialog.child("state")?.text.lowercased() ?? ""
            guard ["trying", "proceeding", "early", "confirmed", "terminated"].contains(state) else {
                throw XMLError(reason: "dialog \(id) has no RFC 4235 state (\(state.isEmpty ? "none" : state))")
            }
            dialogs[id] = (state, dialog.attributes["direction"])
        }
        self.dialogs = dialogs.filter { $0.value.state != "terminated" }
        version = number
    }

    public var state: State {
        let states = dialogs.values.map(\.state)
        if states.contains("confirmed") { return .busy }
        return states.isEmpty ? .idle : .ringing
    }
}
