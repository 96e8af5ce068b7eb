/// Someone in the phone's contact list (`sipterm.contacts`).
public struct Contact: Sendable, Hashable {
    public var name: String?
    /// A SIP URI with a user part.
    public var uri: String

    public init(name: String?, uri: String) {
        self.name = name
        self.uri = uri
    }

    /// The name, else the URI.
    public var label: String { name ?? uri }
}
