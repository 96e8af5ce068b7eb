import SIPMessage
import SIPTransport

/// The transaction layer's view of the UA's transport, reporting every message sent to the
/// trace when tracing is on. A message is traced as it is handed to the transport, so a fast
/// answer can never be traced before the request it answers.
struct TransportSender: MessageSender {
    let transport: Transport
    let onSend: @Sendable ([UInt8], Connection?) -> Void

    func send(_ bytes: [UInt8], to destination: Destination?) async throws {
        onSend(bytes, await transport.connection)
        try await transport.send(bytes, to: destination.map { ($0.host, $0.port) })
    }

    func isReliable() async -> Bool { await transport.connection?.kind.isReliable ?? true }
}
