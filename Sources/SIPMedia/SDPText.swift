/// SDP text both ways (RFC 4566 §5): `type=value` lines in the order the grammar fixes, CRLF
/// or bare LF accepted on input, CRLF written; `v`, `o`, `s`, `t` required; every `m=` line checked.
extension SessionDescription {
    public init(parsing text: String) throws(SDPError) {
        var origin: Origin?
        var name: String?
        var description = SessionDescription(
            origin: Origin(sessionID: "0", sessionVersion: 0, address: ConnectionData(address: "0.0.0.0")))
        var sawVersion = false
        var sawTiming = false
        var current: MediaDescription?
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = Substring(raw)
            // A CRLF is one Character, so what is left here is stray CRs before it: dropped all,
            // or each write and read would lose one more (found by FuzzSDP).
            while line.last == "\r" { line.removeLast() }
            if line.isEmpty { continue }
            guard line.count >= 2, let type = line.first, line.dropFirst().first == "=" else {
                throw SDPError("expected 'type=value', found '\(line.prefix(40))'", line: number)
            }
            let value = String(line.dropFirst(2))
            switch type {
            case "v":
                guard value == "0" else { throw SDPError("unsupported SDP version '\(value)'", line: number) }
                sawVersion = true
            case "o":
                let parts = Self.fields(value)
                guard parts.count == 6, parts[3] == "IN", let version = UInt64(parts[2]) else {
                    throw SDPError("origin must be 'username sess-id sess-version IN addrtype address'", line: number)
                }
                origin = Origin(
                    username: String(parts[0]), sessionID: String(parts[1]), sessionVersion: version,
                    address: ConnectionData(addressType: String(parts[4]), address: String(parts[5])))
            case "s":
                name = value
            case "t":
                description.timing = value
                sawTiming = true
            case "c":
                let parts = Self.fields(value)
                guard parts.count == 3, parts[0] == "IN", parts[1] == "IP4" || parts[1] == "IP6" else {
                    throw SDPError("connection must be 'IN IP4|IP6 address'", line: number)
                }
                let data = ConnectionData(addressType: String(parts[1]), address: String(parts[2]))
                if current != nil { current?.connection = data } else { description.connection = data }
            case "m":
                if let finished = current { description.media.append(finished) }
                current = try Self.parseMediaLine(value, line: number)
            case "a":
                let colon = value.firstIndex(of: ":")
                let attribute = Attribute(
                    String(value[..<(colon ?? value.endIndex)]), colon.map { String(value[value.index(after: $0)...]) })
                if current != nil {
                    current?.attributes.append(attribute)
                } else {
                    description.attributes.append(attribute)
                }
            default:
                guard type.isLetter, type.isASCII else { throw SDPError("invalid line type '\(type)'", line: number) }
                let kept = Line(type: type, value: value)
                if current != nil { current?.otherLines.append(kept) } else { description.otherLines.append(kept) }
            }
        }
        if let finished = current { description.media.append(finished) }
        guard sawVersion else { throw SDPError("missing v= line") }
        guard let origin else { throw SDPError("missing o= line") }
        guard let name else { throw SDPError("missing s= line") }
        guard sawTiming else { throw SDPError("missing t= line") }
        for (index, media) in description.media.enumerated()
        where media.connection == nil && description.connection == nil && media.port != 0 {
            throw SDPError("media \(index + 1) has no connection address (c=)")
        }
        description.origin = origin
        description.sessionName = name
        self = description
    }

    /// The space-separated fields of an o=, c= or m= value. A stray CR or tab counts as a
    /// space: kept inside a field it would be written back before the line's CRLF and read as
    /// part of the line end, so the description would change on every round trip (FuzzSDP).
    private static func fields(_ value: String) -> [Substring] {
        value.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\t" })
    }

    private static func parseMediaLine(_ value: String, line: Int) throws(SDPError) -> MediaDescription {
        let parts = Self.fields(value)
        guard parts.count >= 4 else { throw SDPError("media must be 'media port proto formats…'", line: line) }
        let portParts = parts[1].split(separator: "/")
        guard let port = Int(portParts[0]), (0...65535).contains(port) else {
            throw SDPError("invalid media port '\(parts[1])'", line: line)
        }
        var media = MediaDescription(
            media: String(parts[0]), port: port, proto: String(parts[2]), formats: parts[3...].map(String.init))
        if portParts.count > 1 {
            guard let count = Int(portParts[1]), count > 0 else {
                throw SDPError("invalid port count '\(parts[1])'", line: line)
            }
            media.portCount = count
        }
        return media
    }

    /// The description as SDP text with CRLF line ends.
    public var text: String {
        var out = "v=\(version)\r\n"
        out += "o=\(origin.username) \(origin.sessionID) \(origin.sessionVersion) \(origin.address.description)\r\n"
        out += "s=\(sessionName)\r\n"
        for line in otherLines where "iuep".contains(line.type) { out += "\(line.type)=\(line.value)\r\n" }
        if let connection { out += "c=\(connection.description)\r\n" }
        for line in otherLines where line.type == "b" { out += "b=\(line.value)\r\n" }
        out += "t=\(timing)\r\n"
        for line in otherLines where !"iuepb".contains(line.type) { out += "\(line.type)=\(line.value)\r\n" }
        for attribute in attributes { out += Self.attributeLine(attribute) }
        for media in media {
            out += "m=\(media.media) \(media.port)" + (media.portCount.map { "/\($0)" } ?? "")
            out += " \(media.proto) \(media.formats.joined(separator: " "))\r\n"
            for line in media.otherLines where line.type == "i" { out += "i=\(line.value)\r\n" }
            if let connection = media.connection { out += "c=\(connection.description)\r\n" }
            for line in media.otherLines where line.type != "i" { out += "\(line.type)=\(line.value)\r\n" }
            for attribute in media.attributes { out += Self.attributeLine(attribute) }
        }
        return out
    }

    private static func attributeLine(_ attribute: Attribute) -> String {
        "a=\(attribute.name)" + (attribute.value.map { ":\($0)" } ?? "") + "\r\n"
    }
}
