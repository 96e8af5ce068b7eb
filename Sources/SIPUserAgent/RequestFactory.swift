import SIPMessage
import SIPTransport

/// Builds requests the way JsSIP lays them out: Route (preloaded), Via, Max-Forwards 69, To, From,
/// Call-ID, CSeq, credentials, the request's and then the UA's extra headers, Allow, Supported,
/// User-Agent, Content-Type and Content-Length.
struct RequestFactory: Sendable {
    var configuration: Configuration
    /// JsSIP's via_host: random under `.invalid`, or the configured Contact's host.
    var randomWebSocketHost: String
    var webSocketHost: String { configuration.contactURI?.host.description ?? randomWebSocketHost }
    var contactUser: String
    /// Where the registrar sees sipterm (RFC 3581 `received`/`rport`) when that is not its
    /// local address: behind a NAT, the Contact must name the mapping, not the private address.
    var publicAddress: PublicAddress?

    static let allow = "INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY,SUBSCRIBE"

    /// The UA's own address: `display_name` quoted, as JsSIP writes it.
    func localIdentity(tag: String?) -> NameAddress {
        var address = NameAddress(displayName: configuration.displayName, uri: configuration.uri)
        if let tag { address.parameters.set("tag", tag) }
        return address
    }

    func contact(on connection: Connection) -> SIPURI {
        if let configured = configuration.contactURI { return configured }
        var uri = connection.contactURI(user: contactUser, webSocketHost: webSocketHost)
        if let publicAddress, !connection.kind.isWebSocket, let host = try? Host(parsingAddress: publicAddress.host) {
            uri.host = host
            uri.port = UInt16(exactly: publicAddress.port)
        }
        return uri
    }

    struct Parts: Sendable {
        var method: SIPMethod
        var uri: SIPURI
        var to: NameAddress
        var fromTag: String
        var callID: String
        var cseq: UInt32
        var headers: [HeaderField] = []
        var contentType: String?
        var body: [UInt8] = []
        /// In a dialog: our side of it (with its tag), and the route set instead of the preloaded route.
        var from: NameAddress?
        var routes: [String]?
        /// Instead of the default option tags.
        var supported: String?
    }

    func make(_ parts: Parts, on connection: Connection, credentials: [(KnownHeader, AuthField)] = []) -> SIPRequest {
        var request = SIPRequest(method: parts.method, uri: .sip(parts.uri))
        var headers = Headers()
        if let routes = parts.routes {
            for route in routes { headers.append(.init(.route), route) }
        } else if configuration.usePreloadedRoute {
            headers.append(.init(.route), "<\(connection.url.sipURI)>")
        }
        headers.append(
            .init(.via), connection.via(branch: RandomTokens.branch(), webSocketHost: webSocketHost).description)
        headers.append(.init(.maxForwards), "69")
        headers.append(.init(.to), parts.to.description)
        headers.append(.init(.from), (parts.from ?? localIdentity(tag: parts.fromTag)).description)
        headers.append(.init(.callID), parts.callID)
        headers.append(.init(.cseq), "\(parts.cseq) \(parts.method)")
        let jwt = configuration.authorizationJWT
        // JsSIP 3.13.8 sets Authorization to the JWT, verbatim, on every request it sends: a
        // digest answer to a 401 is replaced by it (a 407's Proxy-Authorization stays).
        for (name, value) in credentials where jwt == nil || name != .authorization {
            headers.append(.init(name), value.description)
        }
        if let jwt { headers.append(.init(.authorization), jwt) }
        for field in parts.headers { headers.append(field) }
        for field in configuration.extraHeaderFields { headers.append(field) }
        headers.append(.init(.allow), Self.allow)
        headers.append(
            .init(.supported), parts.supported ?? (parts.method == .register ? "path,gruu,outbound" : "outbound"))
        headers.append(.init(.userAgent), configuration.userAgent)
        if let contentType = parts.contentType { headers.append(.init(.contentType), contentType) }
        request.headers = headers
        request.setBody(parts.body)
        return request
    }
}
