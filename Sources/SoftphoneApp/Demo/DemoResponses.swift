import SIPMessage

/// Responses the demo line writes: the request's Vias, From, To (with the line's tag), Call-ID
/// and CSeq copied as RFC 3261 §8.2.6 asks, then whatever the case needs.
enum DemoResponses {
    static let reasons: [Int: String] = [
        100: "Trying", 180: "Ringing", 200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 481: "Call/Transaction Does Not Exist", 486: "Busy Here",
        487: "Request Terminated", 488: "Not Acceptable Here", 500: "Server Internal Error",
    ]

    static let allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, UPDATE, INFO, REGISTER"
    static let server = "sipterm demo line"

    /// `toTag` goes on a To that has none; 100 Trying never gets one (RFC 3261 §8.2.6.2).
    static func make(
        to request: SIPRequest, _ status: Int, toTag: String?, headers extra: [(KnownHeader, String)] = []
    ) -> SIPResponse {
        var headers = Headers()
        for field in request.headers {
            switch field.name.known {
            case .via, .from, .callID, .cseq:
                headers.append(HeaderField(field.name, field.value))
            case .to:
                let hasTag = ((try? request.to)??.tag) != nil
                if let toTag, status != 100, !hasTag {
                    headers.append(HeaderField(field.name, "\(field.value);tag=\(toTag)"))
                } else {
                    headers.append(HeaderField(field.name, field.value))
                }
            default: break
            }
        }
        headers.append(.init(.server), server)
        for (name, value) in extra { headers.append(.init(name), value) }
        headers.append(.init(.contentLength), "0")
        return SIPResponse(statusCode: status, reasonPhrase: reasons[status] ?? "Unknown", headers: headers)
    }
}

/// RFC 3261 §17.2: a server transaction answers a retransmitted request with its last
/// response. The demo keeps the last response per Via branch and method, bounded, oldest out.
struct DemoTransactionCache {
    struct Key: Hashable {
        var branch: String
        var method: String
    }

    private var responses: [Key: [UInt8]] = [:]
    private var order: [Key] = []
    let capacity: Int

    init(capacity: Int = 256) { self.capacity = capacity }

    static func key(for request: SIPRequest) -> Key? {
        guard let branch = (try? request.via.first)?.branch, !branch.isEmpty else { return nil }
        return Key(branch: branch, method: request.method.name)
    }

    func lastResponse(for key: Key) -> [UInt8]? { responses[key] }

    mutating func store(_ bytes: [UInt8], for key: Key) {
        if responses.updateValue(bytes, forKey: key) == nil {
            order.append(key)
            if order.count > capacity {
                let oldest = order.removeFirst()
                responses[oldest] = nil
            }
        }
    }
}
