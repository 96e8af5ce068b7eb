/// Why a body is not a usable SDP description, and on which line.
public struct SDPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var reason: String

    public init(_ reason: String, line: Int? = nil) {
        self.reason = reason
        self.line = line
    }

    public var description: String { (line.map { "SDP line \($0): " } ?? "SDP: ") + reason }
}
