/// Why bytes could not be read as SIP, and where: the line and header name make a trace
/// readable without a debugger ("line 4: unterminated quoted string in From").
public struct SIPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the message where the fault is, when known.
    public var line: Int?
    /// The header the fault is in, as written on the wire, when known.
    public var header: String?
    /// What is wrong, in words.
    public var reason: String

    public init(_ reason: String, line: Int? = nil, header: String? = nil) {
        self.reason = reason
        self.line = line
        self.header = header
    }

    public var description: String {
        var text = ""
        if let line { text += "line \(line): " }
        text += reason
        if let header { text += " in \(header)" }
        return text
    }

    /// The same error placed at a line and header, unless it already knows them.
    func located(line: Int?, header: String?) -> SIPParseError {
        var copy = self
        if copy.line == nil { copy.line = line }
        if copy.header == nil { copy.header = header }
        return copy
    }
}
