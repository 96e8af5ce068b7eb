import SIPMessage

/// Responses the UA sends (RFC 3261 §8.2.6): Vias, From, To (with a tag on non-100 answers),
/// Call-ID and CSeq copied; the UA's extra headers; Allow and Accept where they are due.
enum ResponseFactory {
    static let reasons: [Int: String] = [
        100: "Trying", 180: "Ringing", 200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
        408: "Request Timeout", 415: "Unsupported Media Type", 422: "Session Interval Too Small",
        487: "Request Terminated",
        491: "Request Pending", 489: "Bad Event", 202: "Accepted", 603: "Decline", 403: "Forbidden",
        416: "Unsupported URI Scheme",
        420: "Bad Extension", 480: "Temporarily Unavailable", 481: "Call/Transaction Does Not Exist",
        482: "Loop Detected", 486: "Busy Here", 488: "Not Acceptable Here", 500: "Server Internal Error",
        501: "Not Implemented", 505: "Version Not Supported",
    ]

    static func make(
        to request: SIPRequest, status: Int, reason: String? = nil, configuration: Configuration, toTag: String,
        extra: [HeaderField] = [], supported: String = "outbound", contentType: String? = nil, body: [UInt8] = []
    ) -> SIPResponse {
        var response = SIPResponse(statusCode: status, reasonPhrase: reason ?? reasons[status] ?? "Unknown")
        for field in request.headers {
            switch field.name.known {
            case .via, .from, .callID, .cseq: response.headers.append(field)
            case .recordRoute where (101..<300).contains(status) && request.method == .invite:
                // A dialog-creating answer carries the route set back (RFC 3261 §12.1.1).
                response.headers.append(field)
            case .to:
                var to = String(field.value)
                if status > 100, (try? request.to?.tag) == nil { to += ";tag=\(toTag)" }
                response.headers.append(field.name, to)
            default: break
            }
        }
        for field in extra { response.headers.append(field) }
        for field in configuration.extraHeaderFields { response.headers.append(field) }
        if request.method == .options || status == 405 {
            response.headers.append(.init(.allow), RequestFactory.allow)
        }
        if request.method == .options || status == 415 {
            response.headers.append(.init(.accept), "application/sdp, application/dtmf-relay, text/plain")
        }
        response.headers.append(.init(.supported), supported)
        response.headers.append(.init(.userAgent), configuration.userAgent)
        if let contentType { response.headers.append(.init(.contentType), contentType) }
        response.setBody(body)
        return response
    }
}
