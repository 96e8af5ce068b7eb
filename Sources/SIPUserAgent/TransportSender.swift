import SIPMessage
import SIPTransport

/// The transaction layer's view of the UA's transport, reporting every message sent to the
/// trace when tracing is on.
struct TransportSender: MessageSender {
    let transport: Transport
    let onSend: @Sendable ([UInt8], Connection?) -> Void

    func send(_ bytes: [UInt8], to destination: Destination?) async throws {
        try await transport.send(bytes, to: destination.map { ($0.host, $0.port) })
        onSend(bytes, await transport.connection)
    }

    func isReliable() async -> Bool { await transport.connection?.kind.isReliable ?? true }
}
