import Foundation

/// One SIP message sent or received, summarised for the trace list and ladder; `text` is the whole
/// message as the UA traced it (credentials already masked).
public struct TraceEntry: Sendable, Equatable {
    public var time: Date
    public var sent: Bool
    public var transport: String
    public var remote: String
    public var text: String
    /// The method of a request, or "200 OK" for a response.
    public var summary: String
    public var isRequest: Bool
    public var statusCode: Int?
    public var callID: String
    public var cseqMethod: String
    public var hasSDP: Bool

    public init(time: Date, sent: Bool, transport: String, remote: String, text: String) {
        self.time = time
        self.sent = sent
        self.transport = transport
        self.remote = remote
        self.text = text
        // "\r\n" is one Character in Swift, and a newline.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).makeIterator()
        let first = lines.next().map(String.init) ?? ""
        var callID = ""
        var cseqMethod = ""
        var contentType = ""
        while let line = lines.next(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "call-id", "i": callID = value
            case "cseq": cseqMethod = String(value.split(separator: " ").last ?? "")
            case "content-type", "c": contentType = value.lowercased()
            default: break
            }
        }
        self.callID = callID
        self.cseqMethod = cseqMethod
        self.hasSDP = contentType.hasPrefix("application/sdp")
        if first.hasPrefix("SIP/2.0 ") {
            let rest = first.dropFirst("SIP/2.0 ".count)
            isRequest = false
            statusCode = Int(rest.prefix(3))
            summary = String(rest)
        } else {
            isRequest = true
            statusCode = nil
            summary = String(first.split(separator: " ").first ?? Substring(first))
        }
    }

    /// What an arrow of the ladder says: "INVITE (SDP)", "200 OK (SDP)".
    public var label: String { hasSDP ? summary + " (SDP)" : summary }
}

/// The trace as the SIP trace pane holds it: the newest `limit` messages, a filter, a selection,
/// and whether the ladder of the selected dialog is shown.
public struct TraceLog: Sendable, Equatable {
    public private(set) var entries: [TraceEntry] = []
    public var filter = ""
    /// Index into `visible`; nil follows the newest.
    public var selected: Int?
    public var showLadder = false
    public static let limit = 2000

    public init() {}

    mutating func append(_ entry: TraceEntry) {
        entries.append(entry)
        if entries.count > Self.limit {
            entries.removeFirst(entries.count - Self.limit)
            if let selected { self.selected = max(0, selected - 1) }
        }
    }

    /// The entries the filter lets through (case-insensitive, anywhere in the message).
    public var visible: [TraceEntry] {
        guard !filter.isEmpty else { return entries }
        return entries.filter { $0.text.range(of: filter, options: .caseInsensitive) != nil }
    }

    /// The selected entry, or the newest visible one.
    public var current: TraceEntry? {
        let list = visible
        guard !list.isEmpty else { return nil }
        return list[min(selected ?? list.count - 1, list.count - 1)]
    }

    /// The messages of one dialog (one Call-ID), for the ladder.
    public func dialog(_ callID: String) -> [TraceEntry] { entries.filter { $0.callID == callID } }
}
