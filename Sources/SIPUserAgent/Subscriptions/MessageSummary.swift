/// A voicemail summary (RFC 3842 `application/simple-message-summary`): whether messages wait,
/// for which account, and the new/old (urgent new/old) counts of each message class.
public struct MessageSummary: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var new: Int
        public var old: Int
        public var urgentNew: Int?
        public var urgentOld: Int?

        public init(new: Int, old: Int, urgentNew: Int? = nil, urgentOld: Int? = nil) {
            self.new = new
            self.old = old
            self.urgentNew = urgentNew
            self.urgentOld = urgentOld
        }
    }

    public var messagesWaiting: Bool
    public var account: String?
    /// By message-context class, lower-cased: `voice-message`, `fax-message`, `text-message`, …
    public var counts: [String: Counts]

    public var voice: Counts? { counts["voice-message"] }

    public init(messagesWaiting: Bool, account: String? = nil, counts: [String: Counts] = [:]) {
        self.messagesWaiting = messagesWaiting
        self.account = account
        self.counts = counts
    }

    /// Why a body is not a message summary, naming the line.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The classes RFC 3842 §5.2 names (RFC 3458's message-context values).
    static let classes: Set<String> = [
        "voice-message", "fax-message", "pager-message", "multimedia-message", "text-message", "none",
    ]

    /// Parses the status part (up to the first blank line); names are case-insensitive and
    /// unknown lines are skipped, but `Messages-Waiting` must come first and counts must be numbers.
    public init(parsing body: String) throws(Invalid) {
        // "\r\n" is one Character: split on any line break.
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let status = lines.prefix { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
        guard let first = status.first, let (name, value) = Self.split(first),
            name == "messages-waiting"
        else { throw Invalid(reason: "the first line is not Messages-Waiting: yes|no") }
        switch value.lowercased() {
        case "yes": messagesWaiting = true
        case "no": messagesWaiting = false
        default: throw Invalid(reason: "Messages-Waiting is '\(value)', not yes or no")
        }
        account = nil
        counts = [:]
        for line in status.dropFirst() {
            guard let (name, value) = Self.split(line) else {
                throw Invalid(reason: "'\(line.prefix(60))' is not a Name: value line")
            }
            if name == "message-account" {
                account = value
            } else if Self.classes.contains(name) {
                guard let parsed = Self.counts(value) else {
                    throw Invalid(reason: "\(name) counts '\(value)' are not new/old [(urgent new/old)]")
                }
                counts[name] = parsed
            }
        }
    }

    private static func split(_ line: Substring) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingWhitespace.lowercased()
        guard !name.isEmpty else { return nil }
        return (name, String(line[line.index(after: colon)...]).trimmingWhitespace)
    }

    /// `new/old` with an optional `(urgent-new/urgent-old)`.
    private static func counts(_ text: String) -> Counts? {
        let parts = text.split(separator: "(", maxSplits: 1)
        guard let main = parts.first.flatMap(pair) else { return nil }
        guard parts.count == 2 else { return Counts(new: main.0, old: main.1) }
        let inner = parts[1].trimmingWhitespace
        guard inner.hasSuffix(")"), let urgent = pair(Substring(inner.dropLast())) else { return nil }
        return Counts(new: main.0, old: main.1, urgentNew: urgent.0, urgentOld: urgent.1)
    }

    private static func pair(_ text: Substring) -> (Int, Int)? {
        let numbers = text.split(separator: "/").map { $0.trimmingWhitespace }
        guard numbers.count == 2, let new = Int(numbers[0]), let old = Int(numbers[1]), new >= 0, old >= 0 else {
            return nil
        }
        return (new, old)
    }
}
