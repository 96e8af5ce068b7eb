/// The host of a URI or Via: a domain name (kept lower-case, as comparison ignores case) or an
/// IP address held as numbers, so `[2001:db8::192.0.2.1]` and `[2001:db8::c000:201]` are equal.
public enum Host: Sendable, Hashable, CustomStringConvertible {
    case domain(String)
    case ipv4(UInt32)
    case ipv6(IPv6Address)

    /// The host as it is written in a URI (IPv6 in brackets).
    public var description: String {
        switch self {
        case .domain(let name): return name
        case .ipv4(let address): return Host.ipv4Text(address)
        case .ipv6(let address): return "[\(address)]"
        }
    }

    /// The address without IPv6 brackets, as a socket API wants it.
    public var address: String {
        if case .ipv6(let address) = self { return address.description }
        return description
    }

    public var isIPAddress: Bool {
        if case .domain = self { return false }
        return true
    }

    /// Parses a host as written in a URI or Via sent-by (IPv6 must be in brackets).
    public init(parsing text: some StringProtocol) throws {
        self = try Scanner.scan(text) { scanner in
            let host = try Host.scan(&scanner)
            guard scanner.isAtEnd else { throw scanner.unexpected(expecting: "end of host") }
            return host
        }
    }

    /// Parses an address in either form (bracketed or bare IPv6, IPv4, domain), as the Via
    /// `received` parameter is written.
    public init(parsingAddress text: String) throws {
        if text.hasPrefix("[") {
            try self.init(parsing: text)
        } else if text.contains(":") {
            guard let address = IPv6Address(text) else { throw SIPParseError("invalid IPv6 address \(text)") }
            self = .ipv6(address)
        } else {
            try self.init(parsing: text)
        }
    }

    static func scan(_ scanner: inout Scanner) throws -> Host {
        if scanner.consume(UInt8(ascii: "[")) {
            let range = scanner.scan(until: { $0 == UInt8(ascii: "]") })
            guard scanner.consume(UInt8(ascii: "]")) else { throw SIPParseError("unterminated IPv6 reference") }
            let text = scanner.string(range)
            guard let address = IPv6Address(text) else { throw SIPParseError("invalid IPv6 address [\(text)]") }
            return .ipv6(address)
        }
        let range = scanner.scan(while: .hostname)
        guard !range.isEmpty else { throw scanner.unexpected(expecting: "a host") }
        // Read from the bytes: an address never becomes text, a name becomes it once, lower-cased.
        let bytes = scanner.bytes(range)
        if bytes.allSatisfy({ SIPGrammar.is($0, .digit) || $0 == UInt8(ascii: ".") }) {
            guard let address = Host.parseIPv4(bytes) else {
                let text = scanner.string(range)
                if scanner.peek == UInt8(ascii: ":"), !text.contains(".") {
                    throw SIPParseError("an IPv6 address must be enclosed in '[' ']'")
                }
                throw SIPParseError("invalid IPv4 address \(text)")
            }
            return .ipv4(address)
        }
        guard bytes.contains(where: ASCIICase.isCapital) else { return .domain(scanner.string(range)) }
        return .domain(ASCIICase.lowercasedString(bytes))
    }

    static func parseIPv4(_ bytes: some Sequence<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var octet: UInt32 = 0
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octet <= 255 else { return nil }
                value = value << 8 | octet
                parts += 1
                (octet, digits) = (0, 0)
            } else {
                guard SIPGrammar.isDigitByte(byte), digits < 3 else { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
            }
        }
        guard digits > 0, octet <= 255, parts == 3 else { return nil }
        return value << 8 | octet
    }

    static func ipv4Text(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}

/// An IPv6 address as eight 16-bit groups. Parsing accepts the RFC 5118 §4.10 three-colon form
/// (`2001:db8:::192.0.2.1`) that the RFC 3261 ABNF let through; printing follows RFC 5952.
public struct IPv6Address: Sendable, Hashable, CustomStringConvertible {
    public var groups: [UInt16]

    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if let triple = text.splitOnce(":::") {
            // RFC 5118 §4.10: tolerate the extra colon only before an embedded IPv4 address.
            guard triple.1.contains(".") else { return nil }
            text = triple.0 + "::" + triple.1
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ SIPGrammar.is($0, .hex) || $0 == 58 || $0 == 46 }) else {
            return nil
        }
        func groupsOf(_ part: Substring, allowIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if piece.contains(".") {
                    guard allowIPv4, index == pieces.count - 1, let v4 = Host.parseIPv4(piece.utf8) else { return nil }
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard !piece.isEmpty, piece.utf8.count <= 4, let value = UInt16(piece, radix: 16) else {
                        return nil
                    }
                    result.append(value)
                }
            }
            return result
        }
        switch text.splitOnce("::") {
        case nil:
            guard let all = groupsOf(Substring(text), allowIPv4: true), all.count == 8 else { return nil }
            groups = all
        case let (before, after)?:
            guard !after.contains("::"), let head = groupsOf(Substring(before), allowIPv4: false),
                let tail = groupsOf(Substring(after), allowIPv4: true),
                head.count + tail.count <= 7
            else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
    }

    public var description: String {
        // IPv4-mapped addresses keep their dotted tail (RFC 5952 §5).
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:" + Host.ipv4Text(UInt32(groups[6]) << 16 | UInt32(groups[7]))
        }
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

extension String {
    /// The text before and after the first occurrence of `separator`.
    func splitOnce(_ separator: String) -> (String, String)? {
        let bytes = Array(utf8)
        let pattern = Array(separator.utf8)
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count)
        where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
            return (
                String(decoding: bytes[..<start], as: UTF8.self),
                String(decoding: bytes[(start + pattern.count)...], as: UTF8.self)
            )
        }
        return nil
    }

    func contains(_ text: String) -> Bool { splitOnce(text) != nil }
}
