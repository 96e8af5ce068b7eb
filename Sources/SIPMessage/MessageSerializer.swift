/// Writes messages as RFC 3261 text: known headers under their canonical names, unknown ones
/// as read, values as held, then the body. `parse(serialize(m)) == m`.
extension SIPMessage {
    public func serialized() -> [UInt8] {
        switch self {
        case .request(let request): return request.serialized()
        case .response(let response): return response.serialized()
        }
    }
}

extension SIPRequest {
    public var startLine: String { "\(method) \(uri) \(version)" }

    public func serialized() -> [UInt8] { MessageSerializer.write(startLine: startLine, headers: headers, body: body) }
}

extension SIPResponse {
    public var startLine: String { "\(version) \(statusCode) \(reasonPhrase)" }

    public func serialized() -> [UInt8] { MessageSerializer.write(startLine: startLine, headers: headers, body: body) }
}

enum MessageSerializer {
    static func write(startLine: String, headers: Headers, body: [UInt8]) -> [UInt8] {
        var head = startLine
        head.reserveCapacity(64 + headers.count * 48)
        head += "\r\n"
        for field in headers {
            head += field.name.text
            head += ": "
            head += field.value
            head += "\r\n"
        }
        head += "\r\n"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.utf8.count + body.count)
        bytes.append(contentsOf: head.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }
}
