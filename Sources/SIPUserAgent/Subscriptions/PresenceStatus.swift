/// What a PIDF document (RFC 3863) says of a person, with its RPID activities (RFC 4480) and
/// notes: enough for a contact list. A document with several tuples is open when any tuple is
/// open (one of the person's devices can be reached).
public struct PresenceStatus: Sendable, Equatable {
    /// `open`, `closed`, or nil when no tuple says.
    public var basic: String?
    /// RPID activities, e.g. `away`, `busy`, `on-the-phone`, `meeting`.
    public var activities: [String]
    /// The first note (the person's, else a tuple's, else the document's).
    public var note: String?

    public init(basic: String?, activities: [String] = [], note: String? = nil) {
        self.basic = basic
        self.activities = activities
        self.note = note
    }

    /// Reads a PIDF body.
    public init(pidf text: String) throws(XMLError) {
        let root = try XMLTree.parse(text)
        guard root.name == "presence" else { throw XMLError(reason: "not a PIDF document (root <\(root.name)>)") }
        let basics = root.children("tuple").compactMap { $0.child("status")?.child("basic")?.text.lowercased() }
        guard basics.allSatisfy({ $0 == "open" || $0 == "closed" }) else {
            throw XMLError(reason: "a tuple's basic status is neither open nor closed")
        }
        basic = basics.contains("open") ? "open" : basics.first
        let activityLists = root.descendants("activities")
        activities =
            activityLists.flatMap { list in list.children.map(\.name).filter { $0 != "other" } }
            + activityLists.flatMap { $0.children("other").map(\.text) }.filter { !$0.isEmpty }
        let notes = root.descendants("person").flatMap { $0.children("note") } + root.descendants("note")
        note = notes.map(\.text).first { !$0.isEmpty }
    }

    /// One word for a list: offline, on the phone, busy, away or available.
    public var summary: String {
        if basic == "closed" { return "offline" }
        if activities.contains("on-the-phone") { return "on the phone" }
        if activities.contains(where: { ["busy", "meeting", "performance", "presentation"].contains($0) }) {
            return "busy"
        }
        if activities.contains(where: { ["away", "vacation", "sleeping", "meal", "travel"].contains($0) }) {
            return "away"
        }
        return basic == "open" ? "available" : "unknown"
    }
}
