import NIOCore
import SIPMessage

/// MESSAGE (RFC 3428): accepted, then echoed back to the account as a new MESSAGE from `echo`.
extension DemoLine {
    func message(_ request: SIPRequest, from source: SocketAddress) {
        respond(DemoResponses.make(to: request, 200, toTag: Self.token()), to: request, at: source)
        let contentType = (try? request.contentType)?.map(\.description) ?? "text/plain"
        let sender = (try? request.from)??.uri
        // Never echo an echo: a contact pointing back at the line would loop forever.
        guard sender?.sipURI?.user != "echo" else { return }
        // The registered contact when there is one (the account's own address), else the sender.
        let target = registrar.contact?.uri ?? sender
        guard let target else { return }
        let destination = Self.address(of: target) ?? source
        var echo = SIPRequest(method: .message, uri: target)
        echo.headers.append(.init(.via), "SIP/2.0/UDP 127.0.0.1:\(port);branch=z9hG4bK\(Self.token());rport")
        echo.headers.append(.init(.maxForwards), "70")
        echo.headers.append(.init(.from), "\"Echo\" <sip:echo@\(Self.domain)>;tag=\(Self.token())")
        echo.headers.append(.init(.to), "<\(sender?.description ?? target.description)>")
        echo.headers.append(.init(.callID), "\(Self.token())@127.0.0.1")
        echo.headers.append(.init(.cseq), "\(nextCSeq) MESSAGE")
        echo.headers.append(.init(.server), DemoResponses.server)
        nextCSeq += 1
        guard let type = try? MediaType(parsing: Substring(contentType)) else { return }
        echo.setBody("echo: " + request.bodyText, contentType: type)
        socket.send(echo.serialized(), to: destination)
    }

    /// Where a contact URI points when it names an IP address (a UDP contact always does).
    static func address(of uri: URI) -> SocketAddress? {
        guard let sip = uri.sipURI, sip.host.isIPAddress else { return nil }
        return try? SocketAddress(ipAddress: sip.host.address, port: Int(sip.port ?? 5060))
    }
}
