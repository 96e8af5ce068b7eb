/// A request method. Methods are case-sensitive tokens; unknown ones are kept, so a UAS can
/// answer 405/501 instead of failing to parse.
public struct SIPMethod: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    public var description: String { name }

    public static let invite: SIPMethod = "INVITE"
    public static let ack: SIPMethod = "ACK"
    public static let bye: SIPMethod = "BYE"
    public static let cancel: SIPMethod = "CANCEL"
    public static let register: SIPMethod = "REGISTER"
    public static let options: SIPMethod = "OPTIONS"
    public static let info: SIPMethod = "INFO"
    public static let update: SIPMethod = "UPDATE"
    public static let prack: SIPMethod = "PRACK"
    public static let subscribe: SIPMethod = "SUBSCRIBE"
    public static let notify: SIPMethod = "NOTIFY"
    public static let refer: SIPMethod = "REFER"
    public static let message: SIPMethod = "MESSAGE"
    public static let publish: SIPMethod = "PUBLISH"
}
