import SIPMessage

/// Responses the UA sends: `SIPResponse(answering:)` (RFC 3261 §8.2.6) with the UA's extra
/// headers, Allow and Accept where they are due, Supported and User-Agent.
enum ResponseFactory {
    static func make(
        to request: SIPRequest, status: Int, reason: String? = nil, configuration: Configuration, toTag: String,
        extra: [HeaderField] = [], supported: String = "outbound", contentType: String? = nil, body: [UInt8] = []
    ) -> SIPResponse {
        var response = SIPResponse(answering: request, status: status, reason: reason, toTag: toTag)
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
