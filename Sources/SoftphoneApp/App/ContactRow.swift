import Foundation
import SIPUserAgent

/// A contact on the Contacts pane: who (from `sipterm.contacts`), and what their presence and
/// busy lamp last said.
public struct ContactRow: Sendable, Equatable {
    public var uri: String
    public var name: String?
    /// One word (available, away, busy, on the phone, offline); nil until a document came.
    public var presence: String?
    public var note: String?
    public var lamp: BusyLamp.State?
    public var problem: String?

    public var label: String { name ?? MessagesView.peerName(uri) }

    /// The rows for the configured contacts, keeping what the rows already known have heard.
    static func rows(_ contacts: ConfigValue?, keeping old: [ContactRow]) -> [ContactRow] {
        (contacts?.arrayValue ?? []).compactMap { item in
            guard case .table(let table) = item, let uri = table["uri"]?.stringValue else { return nil }
            var row = old.first { $0.uri == uri } ?? ContactRow(uri: uri)
            row.name = table["name"]?.stringValue
            return row
        }
    }

    init(uri: String, name: String? = nil) {
        self.uri = uri
        self.name = name
    }
}
