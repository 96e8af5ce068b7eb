/// An error setting up DTLS (certificate generation, context configuration).
///
/// Handshake failures are not thrown: they arrive as `DTLSEvent.failed` so the caller's receive
/// path stays non-throwing.
public struct DTLSError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// An error whose text ends with the reasons OpenSSL queued; the queue is emptied.
    static func openSSL(_ what: String) -> DTLSError {
        let detail = OpenSSLErrorQueue.drain()
        return DTLSError(detail.isEmpty ? what : "\(what): \(detail)")
    }
}
