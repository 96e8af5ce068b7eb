import SIPMessage

/// Responses the demo line writes: `SIPResponse(answering:)` (RFC 3261 §8.2.6) with the line's
/// Server header and whatever the case needs.
enum DemoResponses {
    static let allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, UPDATE, INFO, REGISTER"
    static let server = "sipterm demo line"

    static func make(
        to request: SIPRequest, _ status: Int, toTag: String?, headers extra: [(KnownHeader, String)] = []
    ) -> SIPResponse {
        var response = SIPResponse(answering: request, status: status, toTag: toTag)
        response.headers.append(.init(.server), server)
        for (name, value) in extra { response.headers.append(.init(name), value) }
        response.headers.append(.init(.contentLength), "0")
        return response
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
        guard let branch = (try? request.topVia)?.branch, !branch.isEmpty else { return nil }
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
