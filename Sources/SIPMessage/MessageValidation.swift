/// Why a well-formed message must still be refused, with the status code a UAS answers
/// (400, 505…). Parsing says whether bytes are SIP; validation says whether the message is usable.
public struct SIPValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var statusCode: Int
    public var reason: String

    public init(_ statusCode: Int, _ reason: String) {
        self.statusCode = statusCode
        self.reason = reason
    }

    public var description: String { "\(statusCode): \(reason)" }
}

extension SIPMessage {
    /// Checks what RFC 3261 requires beyond syntax: version 2.0, the mandatory headers, one value
    /// of each single-value header, every header sipterm acts on decodable (of the Vias, the top
    /// one: the others are echoed verbatim), CSeq method equal to the request method, and no
    /// headers in the Request-URI. Headers it only shows or echoes are kept as they came.
    public func validate() throws(SIPValidationError) {
        guard version == "SIP/2.0" else { throw SIPValidationError(505, "unsupported version \(version)") }
        let fields = headers.fields
        // No collections on this path (it runs for every message): the mandatory headers are
        // flags, and a second singleton is looked for among the fields before it.
        var present: (via: Bool, from: Bool, to: Bool, callID: Bool, cseq: Bool) = (false, false, false, false, false)
        for index in fields.indices {
            switch fields[index].name.known {
            case .via: present.via = true
            case .from: present.from = true
            case .to: present.to = true
            case .callID: present.callID = true
            case .cseq: present.cseq = true
            default: break
            }
        }
        if !(present.via && present.from && present.to && present.callID && present.cseq) {
            let missing = [
                (present.via, KnownHeader.via), (present.from, .from), (present.to, .to), (present.callID, .callID),
                (present.cseq, .cseq),
            ].filter { !$0.0 }.map(\.1)
            let names = missing.map(\.name).joined(separator: ", ")
            throw SIPValidationError(400, "missing required header\(missing.count > 1 ? "s" : "") \(names)")
        }
        var sawVia = false
        for index in fields.indices {
            guard let known = fields[index].name.known else { continue }
            if known.isSingleton, fields[..<index].contains(where: { $0.name.known == known }) {
                throw SIPValidationError(400, "line \(fields[index].line ?? 0): more than one \(known.name) header")
            }
            guard let type = known.valueType, known.isActedOn else { continue }
            let value = fields[index].value
            do {
                if known == .via {
                    if !sawVia, let top = try HeaderList.first(value) { _ = try type.init(parsing: top) }
                    sawVia = true
                } else if known.isList {
                    try HeaderList.forEach(value) { _ = try type.init(parsing: $0) }
                } else {
                    _ = try type.init(parsing: value)
                }
            } catch let error as SIPParseError {
                throw SIPValidationError(
                    400,
                    error.located(line: fields[index].line, header: fields[index].wireName ?? known.name).description)
            } catch {
                throw SIPValidationError(400, "\(error)")
            }
        }
        if case .request(let request) = self {
            if let cseq = try? request.cseq, cseq.method != request.method {
                throw SIPValidationError(
                    400, "CSeq method \(cseq.method) does not match request method \(request.method)")
            }
            if let uri = request.uri.sipURI, !uri.headers.isEmpty {
                throw SIPValidationError(400, "Request-URI must not contain headers")
            }
        }
    }
}
