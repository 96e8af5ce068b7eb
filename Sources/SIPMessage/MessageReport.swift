/// What `sipterm inspect` reports for one raw message: the structure when it parsed, and the
/// one-line reason when it is not a valid message.
public struct MessageReport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case json
        case text
    }

    /// The structure, rendered; nil when the bytes are not SIP at all.
    public var output: String?
    /// One line saying why the message is invalid; nil when it is valid.
    public var error: String?

    public var isValid: Bool { error == nil }

    public init(bytes: [UInt8], format: Format, parser: MessageParser = MessageParser()) {
        let message: SIPMessage
        do {
            message = try parser.parse(bytes)
        } catch {
            self.output = nil
            self.error = "invalid SIP message: \(error)"
            return
        }
        switch format {
        case .json: output = message.structure.json
        case .text: output = message.structure.text
        }
        do {
            try message.validate()
            error = nil
        } catch {
            self.error = "invalid SIP message (a UAS answers \(error.statusCode)): \(error.reason)"
        }
    }
}
