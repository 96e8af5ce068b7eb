#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one SIP message from bytes (RFC 3261 §7): the start line, header fields (folding undone,
/// compact and odd-case names recognised, unknown headers kept in order) and the body framed by
/// Content-Length. Header values are not decoded here; `Headers.values(_:as:)` does that on demand.
public struct MessageParser: Sendable {
    /// How the bytes arrived, which decides what an absent or wrong Content-Length means.
    public enum Framing: Sendable {
        /// One UDP datagram: without Content-Length the body is the rest; bytes after it are ignored.
        case datagram
        /// One message cut from a TCP/TLS stream: Content-Length is required.
        case stream
    }

    /// The largest message accepted; larger input is refused before any work is done.
    public var maxMessageSize: Int
    public var framing: Framing

    public init(maxMessageSize: Int = 65_536, framing: Framing = .datagram) {
        self.maxMessageSize = maxMessageSize
        self.framing = framing
    }

    public func parse(_ bytes: [UInt8]) throws -> SIPMessage {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    public func parse(_ text: String) throws -> SIPMessage {
        try parse(Array(text.utf8))
    }

    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> SIPMessage {
        guard buffer.count <= maxMessageSize else {
            throw SIPParseError("message of \(buffer.count) bytes exceeds the \(maxMessageSize)-byte limit")
        }
        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        var start = 0
        while start < buffer.count, buffer[start] == 0x0D || buffer[start] == 0x0A { start += 1 }
        guard start < buffer.count else { throw SIPParseError("empty message") }
        let (headEnd, bodyStart) = Self.headBounds(buffer, from: start)
        if bodyStart == nil && framing == .stream {
            throw SIPParseError("headers not terminated by an empty line")
        }
        // The head is decoded once; header values are slices of it, so reading a message costs
        // one string however many headers it has. Invalid UTF-8 becomes U+FFFD here, never in the body.
        let head = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<headEnd]), as: UTF8.self)
        var message: SIPMessage
        var headers: [HeaderField]
        if let parsed = try head.utf8.withContiguousStorageIfAvailable({ try parseHead($0, of: head) }) {
            (message, headers) = parsed
        } else {
            let copy = Array(head.utf8)
            (message, headers) = try copy.withUnsafeBufferPointer { try parseHead($0, of: head) }
        }

        let bodyOffset = bodyStart ?? buffer.count
        let available = buffer.count - bodyOffset
        var bodyLength = available
        var declared: Int?
        for index in headers.indices where headers[index].name.known == .contentLength {
            let field = headers[index]
            let text = field.value
            guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ SIPGrammar.is($0, .digit) }),
                let length = Int(text)
            else {
                throw SIPParseError(
                    "invalid Content-Length '\(text)'", line: field.line, header: field.wireName ?? field.name.text)
            }
            if let previous = declared, previous != length {
                // Conflicting lengths leave the framing undefined (RFC 4475 §3.3.9).
                guard framing == .datagram else {
                    throw SIPParseError("conflicting Content-Length values \(previous) and \(length)", line: field.line)
                }
                declared = nil
                break
            }
            declared = length
        }
        if let declared {
            guard declared <= available else {
                throw SIPParseError("Content-Length \(declared) exceeds the \(available) bytes after the headers")
            }
            bodyLength = declared
        } else if framing == .stream && !headers.contains(where: { $0.name.known == .contentLength }) {
            throw SIPParseError("missing Content-Length on a stream transport")
        }
        let body = bodyLength == 0 ? [] : Array(buffer[bodyOffset..<(bodyOffset + bodyLength)])
        switch message {
        case .request(var request):
            request.headers = Headers(headers)
            request.body = body
            message = .request(request)
        case .response(var response):
            response.headers = Headers(headers)
            response.body = body
            message = .response(response)
        }
        return message
    }

    /// Where the head ends (before the empty line) and the body starts (after it); the body start
    /// is nil when no empty line ends the head.
    private static func headBounds(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Int?) {
        var index = start
        while let lf = LineCursor.lineFeed(in: buffer, from: index) {
            let next = lf + 1
            if next < buffer.count && buffer[next] == 0x0A { return (lf + 1, next + 1) }
            if next + 1 < buffer.count && buffer[next] == 0x0D && buffer[next + 1] == 0x0A { return (lf + 1, next + 2) }
            if next >= buffer.count { return (buffer.count, nil) }
            index = next
        }
        return (buffer.count, nil)
    }

    /// Reads the start line and header fields from the UTF-8 bytes of `head`.
    private func parseHead(_ bytes: UnsafeBufferPointer<UInt8>, of head: String) throws -> (SIPMessage, [HeaderField]) {
        var cursor = LineCursor(buffer: bytes)
        guard let startLine = cursor.nextLine() else { throw SIPParseError("empty message") }
        let message = try parseStartLine(startLine, cursor: cursor)
        let utf8 = head.utf8
        func slice(_ range: Range<Int>) -> Substring {
            head[
                utf8.index(
                    utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(
                        utf8.startIndex, offsetBy: range.upperBound)]
        }
        var headers: [HeaderField] = []
        headers.reserveCapacity(16)
        while let line = cursor.nextLine() {
            if line.isEmpty { break }
            let first = bytes[line.lowerBound]
            if first == 0x20 || first == 0x09 {
                guard let last = headers.indices.last else {
                    throw SIPParseError("continuation line before any header", line: cursor.lineNumber)
                }
                // Folding: the line break and leading whitespace become one space (RFC 3261 §7.3.1).
                let part = cursor.trim(line)
                if !part.isEmpty {
                    let joined =
                        headers[last].value.isEmpty ? String(slice(part)) : headers[last].value + " " + slice(part)
                    headers[last].value = Substring(joined)
                }
                continue
            }
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else {
                throw SIPParseError("header line without a colon", line: cursor.lineNumber)
            }
            let nameRange = cursor.trim(line.lowerBound..<colon)
            guard !nameRange.isEmpty, bytes[nameRange].allSatisfy(SIPGrammar.isTokenByte) else {
                throw SIPParseError("invalid header name '\(cursor.string(nameRange))'", line: cursor.lineNumber)
            }
            let nameBytes = UnsafeBufferPointer(rebasing: bytes[nameRange])
            let name: HeaderName
            var wire: String?
            if let match = KnownHeader.match(nameBytes) {
                name = HeaderName(match.header)
                if !match.exact { wire = cursor.string(nameRange) }
            } else {
                name = HeaderName(unknown: cursor.string(nameRange))
            }
            headers.append(
                HeaderField(
                    name, slice(cursor.trim((colon + 1)..<line.upperBound)), wireName: wire, line: cursor.lineNumber))
        }
        return (message, headers)
    }

    private func parseStartLine(_ line: Range<Int>, cursor: LineCursor) throws -> SIPMessage {
        let buffer = cursor.buffer
        let fail = { (reason: String) in SIPParseError(reason, line: cursor.lineNumber) }
        // The first three spaces are all the start line's grammar needs (no array: this is hot).
        var spaces = (0, 0, 0)
        var spaceCount = 0
        for index in line where buffer[index] == 0x20 {
            switch spaceCount {
            case 0: spaces.0 = index
            case 1: spaces.1 = index
            default: spaces.2 = index
            }
            spaceCount += 1
            if spaceCount == 3 { break }
        }
        if buffer[line].starts(with: "SIP/".utf8) {
            guard spaceCount > 0 else { throw fail("status line without a status code") }
            let first = spaces.0
            let version = cursor.string(line.lowerBound..<first)
            let codeEnd = spaceCount > 1 ? spaces.1 : line.upperBound
            let codeRange = (first + 1)..<codeEnd
            guard codeRange.count == 3, buffer[codeRange].allSatisfy({ SIPGrammar.is($0, .digit) }),
                let code = Int(cursor.string(codeRange)), (100...699).contains(code)
            else { throw fail("invalid status code '\(cursor.string(codeRange))' (must be 100-699)") }
            try checkVersion(version, fail)
            let reason = codeEnd < line.upperBound ? cursor.string((codeEnd + 1)..<line.upperBound) : ""
            return .response(SIPResponse(statusCode: code, reasonPhrase: reason, version: version))
        }
        guard spaceCount == 2, spaces.0 > line.lowerBound, spaces.1 > spaces.0 + 1, spaces.1 + 1 < line.upperBound
        else { throw fail("request line must be 'METHOD SP Request-URI SP SIP-Version' with single spaces") }
        let method = cursor.string(line.lowerBound..<spaces.0)
        guard SIPGrammar.isToken(method) else { throw fail("invalid method '\(method)'") }
        // Read from the bytes: the URI's text is made only for an error.
        let uriRange = (spaces.0 + 1)..<spaces.1
        if buffer[uriRange.lowerBound] == UInt8(ascii: "<") {
            throw fail("Request-URI must not be enclosed in '<' '>'")
        }
        let uri: URI
        do {
            uri = try URI.scan(UnsafeBufferPointer(rebasing: buffer[uriRange]))
        } catch let error as SIPParseError {
            throw fail("invalid Request-URI '\(cursor.string(uriRange))': \(error.reason)")
        }
        let version = cursor.string((spaces.1 + 1)..<line.upperBound)
        try checkVersion(version, fail)
        return .request(SIPRequest(method: SIPMethod(method), uri: uri, version: version))
    }

    /// Accepts any `SIP/x.y` so that a UAS can answer 505 to other versions.
    private func checkVersion(_ version: String, _ fail: (String) -> SIPParseError) throws {
        var bytes = version.utf8.makeIterator()
        for expected in "SIP/".utf8 where bytes.next() != expected { throw fail("invalid SIP version '\(version)'") }
        var digits = 0
        var dots = 0
        var previous: UInt8 = UInt8(ascii: "/")
        while let byte = bytes.next() {
            if byte == UInt8(ascii: ".") {
                guard previous != UInt8(ascii: "/"), previous != UInt8(ascii: ".") else { break }
                dots += 1
            } else if SIPGrammar.isDigitByte(byte) {
                digits += 1
            } else {
                dots = 2
                break
            }
            previous = byte
        }
        guard dots == 1, digits >= 2, previous != UInt8(ascii: ".") else {
            throw fail("invalid SIP version '\(version)'")
        }
    }
}

/// Walks the head of a message line by line; a line ends at LF, with or without CR before it.
struct LineCursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var position = 0
    var lineNumber = 0

    init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    var peek: UInt8? { position < buffer.count ? buffer[position] : nil }

    /// The next line without its terminator; at the end of input, the unterminated rest (or nil).
    mutating func nextLine() -> Range<Int>? {
        guard position < buffer.count else { return nil }
        lineNumber += 1
        let start = position
        guard let lf = LineCursor.lineFeed(in: buffer, from: start) else {
            position = buffer.count
            return start..<buffer.count
        }
        position = lf + 1
        let end = lf > start && buffer[lf - 1] == 0x0D ? lf - 1 : lf
        return start..<end
    }

    /// The index of the next LF at or after `start`.
    @inline(__always)
    static func lineFeed(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < buffer.count, let base = buffer.baseAddress,
            let found = memchr(base + start, 0x0A, buffer.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    func trim(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, SIPGrammar.isWhitespace(buffer[lower]) { lower += 1 }
        while upper > lower, SIPGrammar.isWhitespace(buffer[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
}

extension SIPMessage {
    /// Parses one datagram-framed message with the default 64 KiB limit.
    public static func parse(_ bytes: [UInt8]) throws -> SIPMessage { try MessageParser().parse(bytes) }

    public static func parse(_ text: String) throws -> SIPMessage { try MessageParser().parse(text) }
}
