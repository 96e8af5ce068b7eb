// The FuzzSIP checks: every input is parsed with both framings; whatever parses is validated,
// has every known header decoded, and must survive the round trip `parse(serialize(m)) == m`,
// or the run stops with a description of the difference.
import SIPMessage

/// Both framings of one input.
func checkSIP(_ bytes: [UInt8]) {
    checkMessage(bytes, framing: .datagram)
    checkMessage(bytes, framing: .stream)
}

/// The properties every input must keep: none of these steps may crash, and what parses must
/// serialize to bytes that parse back to an equal message.
func checkMessage(_ bytes: [UInt8], framing: MessageParser.Framing) {
    let parser = MessageParser(framing: framing)
    guard let message = try? parser.parse(bytes) else { return }

    // Refusing a message is fine; crashing on it is not.
    _ = try? message.validate()
    decodeKnownHeaders(message.headers)
    _ = message.structure.json

    let wire = message.serialized()
    // Serializing may lengthen a message (compact names expanded, folding joined), so the
    // size limit must not be what refuses the second parse.
    let reparser = MessageParser(maxMessageSize: max(parser.maxMessageSize, wire.count), framing: framing)
    let again: SIPMessage
    do {
        again = try reparser.parse(wire)
    } catch {
        fatalError(
            """
            round trip (\(framing)): the serialization of a parsed message does not parse: \(error)
            input:      \(escaped(bytes))
            serialized: \(escaped(wire))
            """)
    }
    if again != message {
        fatalError(
            """
            round trip (\(framing)): parse(serialize(m)) != m
            \(difference(message, again))
            input:      \(escaped(bytes))
            serialized: \(escaped(wire))
            """)
    }
}

/// Decodes every known header present through its `KnownHeader.valueType`, list elements split,
/// exactly as `Headers.values(_:as:)` does for typed access, and renders each value back.
func decodeKnownHeaders(_ headers: Headers) {
    var seen: Set<KnownHeader> = []
    for field in headers {
        guard let known = field.name.known, seen.insert(known).inserted, let type = known.valueType else { continue }
        decode(headers, known, as: type)
    }
}

private func decode<T: SIPHeaderValue>(_ headers: Headers, _ known: KnownHeader, as type: T.Type) {
    guard let values = try? headers.values(known, as: type) else { return }
    for value in values {
        _ = value.description
        _ = value.structure
    }
    _ = try? headers.value(known, as: type)
}

/// Where two messages that should be equal first differ, for the crash report.
private func difference(_ original: SIPMessage, _ reparsed: SIPMessage) -> String {
    switch (original, reparsed) {
    case (.request(let a), .request(let b)):
        if a.method != b.method { return "method: \(a.method) -> \(b.method)" }
        if a.uri != b.uri { return "Request-URI: \(a.uri) -> \(b.uri)" }
        if a.version != b.version { return "version: \(a.version) -> \(b.version)" }
    case (.response(let a), .response(let b)):
        if a.statusCode != b.statusCode { return "status: \(a.statusCode) -> \(b.statusCode)" }
        if a.reasonPhrase != b.reasonPhrase {
            return "reason: \(escaped(Array(a.reasonPhrase.utf8))) -> \(escaped(Array(b.reasonPhrase.utf8)))"
        }
        if a.version != b.version { return "version: \(a.version) -> \(b.version)" }
    default:
        return
            "kind changed: \(original.request == nil ? "response" : "request") -> \(reparsed.request == nil ? "response" : "request")"
    }
    let before = original.headers, after = reparsed.headers
    if before.count != after.count {
        return "header count: \(before.count) -> \(after.count)"
            + "\n  before: \(before.map { "\($0.name.text)=\(escaped(Array($0.value.utf8)))" })"
            + "\n  after:  \(after.map { "\($0.name.text)=\(escaped(Array($0.value.utf8)))" })"
    }
    for (a, b) in zip(before, after) where a != b {
        return "header \(a.name.text) (wire name \(a.wireName ?? "?")): \(escaped(Array(a.value.utf8))) -> "
            + "\(b.name.text): \(escaped(Array(b.value.utf8)))"
    }
    if original.body != reparsed.body { return "body: \(original.body.count) bytes -> \(reparsed.body.count) bytes" }
    return "no visible difference"
}

/// Bytes as a quoted string with C-style escapes, short enough for a crash log.
func escaped(_ bytes: [UInt8], limit: Int = 4_096) -> String {
    var out = "\""
    for byte in bytes.prefix(limit) {
        switch byte {
        case 0x0D: out += "\\r"
        case 0x0A: out += "\\n"
        case 0x09: out += "\\t"
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16)
            out += "\\x" + (hex.count == 1 ? "0" : "") + hex
        }
    }
    out += "\""
    if bytes.count > limit { out += "… (\(bytes.count) bytes)" }
    return out
}
