/// Replaces (RFC 3891): the dialog an INVITE or REFER means to replace.
public struct Replaces: SIPHeaderValue, Hashable {
    public var callID: String
    public var parameters: Parameters

    public init(callID: String, toTag: String, fromTag: String, earlyOnly: Bool = false) {
        self.callID = callID
        self.parameters = [Parameter("to-tag", toTag), Parameter("from-tag", fromTag)]
        if earlyOnly { parameters.set("early-only") }
    }

    public var toTag: String? { parameters["to-tag"] }
    public var fromTag: String? { parameters["from-tag"] }
    public var earlyOnly: Bool { parameters.contains("early-only") }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let range = scanner.scan(until: { $0 == UInt8(ascii: ";") || SIPGrammar.isWhitespace($0) })
            let callID = try CallID(parsing: Substring(scanner.string(range))).value
            let parameters = try Parameters.scanHeaderParameters(&scanner)
            try scanner.expectEnd("Replaces")
            guard parameters["to-tag"] != nil, parameters["from-tag"] != nil else {
                throw SIPParseError("Replaces needs to-tag and from-tag")
            }
            var value = Replaces(callID: callID, toTag: "", fromTag: "")
            value.parameters = parameters
            return value
        }
    }

    public var description: String {
        var out = callID
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([
            ("call_id", .string(callID)), ("to_tag", toTag.map(Structure.string)),
            ("from_tag", fromTag.map(Structure.string)), ("early_only", .bool(earlyOnly)),
        ])
    }
}

/// One Reason value (RFC 3326): `SIP;cause=200;text="Call completed elsewhere"`.
public struct ReasonValue: SIPHeaderValue, Hashable {
    public var protocolName: String
    public var parameters: Parameters

    public init(protocol protocolName: String, cause: Int? = nil, text: String? = nil) {
        self.protocolName = protocolName
        self.parameters = []
        if let cause { parameters.set("cause", String(cause)) }
        if let text { parameters.set("text", text, quoted: true) }
    }

    public var cause: Int? { parameters["cause"].flatMap { Int($0) } }
    public var text: String? { parameters["text"] }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let name = try scanner.expectToken("reason protocol")
            var value = ReasonValue(protocol: name)
            value.parameters = try Parameters.scanHeaderParameters(&scanner)
            try scanner.expectEnd("Reason")
            return value
        }
    }

    public var description: String {
        var out = protocolName
        parameters.writeHeaderParameters(into: &out)
        return out
    }

    public var structure: Structure {
        .fields([
            ("protocol", .string(protocolName)), ("cause", cause.map(Structure.int)),
            ("text", text.map(Structure.string)),
        ])
    }
}

/// RAck (RFC 3262): the RSeq and CSeq of the reliable provisional response acknowledged.
public struct RAck: SIPHeaderValue, Hashable {
    public var rseq: UInt32
    public var cseq: UInt32
    public var method: SIPMethod

    public init(rseq: UInt32, cseq: UInt32, method: SIPMethod) {
        self.rseq = rseq
        self.cseq = cseq
        self.method = method
    }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let rseq = try scanner.number("RSeq in RAck", limit: UInt64(UInt32.max))
            scanner.skipWhitespace()
            let cseq = try scanner.number("CSeq in RAck", limit: UInt64(UInt32.max))
            scanner.skipWhitespace()
            let method = try scanner.expectToken("method in RAck")
            try scanner.expectEnd("RAck")
            return RAck(rseq: UInt32(rseq), cseq: UInt32(cseq), method: SIPMethod(method))
        }
    }

    public var description: String { "\(rseq) \(cseq) \(method)" }

    public var structure: Structure {
        .fields([("rseq", .int(Int(rseq))), ("cseq", .int(Int(cseq))), ("method", .string(method.name))])
    }
}

/// Date (RFC 3261 §20.17): an RFC 1123 date that must be in GMT.
public struct SIPDate: SIPHeaderValue, Hashable {
    public var text: String

    public init(parsing text: Substring) throws {
        let value = String(text).trimmingWhitespace
        let parts = value.split(separator: " ")
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[0].hasSuffix(","), days.contains(String(parts[0].dropLast())),
            parts[1].count == 2, Int(parts[1]) != nil, months.contains(String(parts[2])), parts[3].count == 4,
            Int(parts[3]) != nil, parts[4].split(separator: ":").count == 3
        else { throw SIPParseError("invalid date '\(value)'") }
        guard parts[5] == "GMT" else { throw SIPParseError("date must be in GMT, not \(parts[5])") }
        self.text = value
    }

    public var description: String { text }
    public var structure: Structure { .string(text) }
}
