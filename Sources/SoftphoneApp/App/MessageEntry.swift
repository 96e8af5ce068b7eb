import Foundation

/// One MESSAGE sent or received, for the Messages pane.
public struct MessageEntry: Sendable, Equatable {
    public var time: Date
    public var incoming: Bool
    /// The other party (From of an incoming message, To of an outgoing one).
    public var peer: String
    public var body: String
    /// The final response to a sent message; nil while pending or for a received one.
    public var statusCode: Int?

    public init(time: Date, incoming: Bool, peer: String, body: String, statusCode: Int? = nil) {
        self.time = time
        self.incoming = incoming
        self.peer = peer
        self.body = body
        self.statusCode = statusCode
    }
}
