/// RFC 3261 §21's reason phrases, for the status codes sipterm and its demo line send.
public enum ReasonPhrase {
    public static let standard: [Int: String] = [
        100: "Trying", 180: "Ringing", 200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized",
        403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
        415: "Unsupported Media Type", 416: "Unsupported URI Scheme", 420: "Bad Extension",
        422: "Session Interval Too Small", 480: "Temporarily Unavailable", 481: "Call/Transaction Does Not Exist",
        482: "Loop Detected", 486: "Busy Here", 487: "Request Terminated", 488: "Not Acceptable Here",
        489: "Bad Event", 491: "Request Pending", 500: "Server Internal Error", 501: "Not Implemented",
        505: "Version Not Supported", 603: "Decline",
    ]

    public static func `for`(_ statusCode: Int) -> String { standard[statusCode] ?? "Unknown" }
}

extension SIPResponse {
    /// The start of every answer to `request` (RFC 3261 §8.2.6): its Vias, From, Call-ID and CSeq
    /// copied, its To with `toTag` added on a non-100 answer when it has none, and on a
    /// dialog-creating answer to an INVITE its Record-Routes (§12.1.1).
    public init(answering request: SIPRequest, status: Int, reason: String? = nil, toTag: String?) {
        self.init(statusCode: status, reasonPhrase: reason ?? ReasonPhrase.for(status))
        for field in request.headers {
            switch field.name.known {
            case .via, .from, .callID, .cseq: headers.append(field)
            // A dialog-creating response mirrors the Record-Route (RFC 3261 §12.1.1, RFC 6665 §4.2.1).
            case .recordRoute
            where (101..<300).contains(status) && (request.method == .invite || request.method == .subscribe):
                headers.append(field)
            case .to:
                var to = String(field.value)
                if status > 100, let toTag, (try? request.to?.tag) == nil { to += ";tag=\(toTag)" }
                headers.append(field.name, to)
            default: break
            }
        }
    }
}
