import SIPMessage
import SIPTransport

/// The address and port a server saw sipterm's requests come from.
struct PublicAddress: Sendable, Equatable {
    var host: String
    var port: Int

    /// What the top Via of a response to a request sent on `connection` says (RFC 3581), when
    /// it differs from the connection's local address; nil when it says nothing or the same.
    /// WebSocket Vias name a made-up `.invalid` host, so nothing is learned there (RFC 7118).
    init?(response: SIPResponse, on connection: Connection) {
        guard !connection.kind.isWebSocket, let local = connection.localAddress, let top = try? response.topVia
        else { return nil }
        var port = local.port
        if case .port(let value)? = top.rport { port = Int(value) }
        let host = top.received?.address ?? local.host
        guard host != local.host || port != local.port else { return nil }
        self.host = host
        self.port = port
    }
}
