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
        var cursor = LineCursor(buffer: buffer)
        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        while let byte = cursor.peek, byte == 0x0D || byte == 0x0A { cursor.position += 1 }
        guard let startLine = cursor.nextLine() else { throw SIPParseError("empty message") }
        var message = try parseStartLine(startLine, cursor: cursor)

        var headers: [HeaderField] = []
        headers.reserveCapacity(16)
        var pending: (name: Range<Int>, value: Range<Int>, line: Int, folded: [Range<Int>])?
        var terminated = false
        func flush() throws {
            guard let field = pending else { return }
            let wire = cursor.string(field.name)
            var value = cursor.string(field.value)
            for part in field.folded {
                if !value.isEmpty { value += " " }
                value += cursor.string(part)
            }
            headers.append(HeaderField(HeaderName(wire), value, wireName: wire, line: field.line))
        }
        while let line = cursor.nextLine() {
            if line.isEmpty {
                terminated = true
                break
            }
            let first = buffer[line.lowerBound]
            if first == 0x20 || first == 0x09 {
                guard pending != nil else {
                    throw SIPParseError("continuation line before any header", line: cursor.lineNumber)
                }
                let part = cursor.trim(line)
                if !part.isEmpty { pending?.folded.append(part) }
                continue
            }
            try flush()
            guard let colon = buffer[line].firstIndex(of: UInt8(ascii: ":")) else {
                throw SIPParseError("header line without a colon", line: cursor.lineNumber)
            }
            let name = cursor.trim(line.lowerBound..<colon)
            guard !name.isEmpty, buffer[name].allSatisfy({ SIPGrammar.is($0, .token) }) else {
                throw SIPParseError("invalid header name '\(cursor.string(name))'", line: cursor.lineNumber)
            }
            pending = (name, cursor.trim((colon + 1)..<line.upperBound), cursor.lineNumber, [])
        }
        try flush()
        if !terminated && framing == .stream {
            throw SIPParseError("headers not terminated by an empty line")
        }

        let available = buffer.count - cursor.position
        var bodyLength = available
        var declared: Int?
        for field in headers where field.name.known == .contentLength {
            let text = field.value
            guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ SIPGrammar.is($0, .digit) }),
                let length = Int(text)
            else {
                throw SIPParseError("invalid Content-Length '\(text)'", line: field.line, header: field.wireName)
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
        let body = Array(buffer[cursor.position..<(cursor.position + bodyLength)])
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

    private func parseStartLine(_ line: Range<Int>, cursor: LineCursor) throws -> SIPMessage {
        let buffer = cursor.buffer
        let fail = { (reason: String) in SIPParseError(reason, line: cursor.lineNumber) }
        let spaces = buffer[line].indices.filter { buffer[$0] == 0x20 }
        if buffer[line].starts(with: "SIP/".utf8) {
            guard let first = spaces.first else { throw fail("status line without a status code") }
            let version = cursor.string(line.lowerBound..<first)
            let codeEnd = spaces.count > 1 ? spaces[1] : line.upperBound
            let codeRange = (first + 1)..<codeEnd
            guard codeRange.count == 3, buffer[codeRange].allSatisfy({ SIPGrammar.is($0, .digit) }),
                let code = Int(cursor.string(codeRange)), (100...699).contains(code)
            else { throw fail("invalid status code '\(cursor.string(codeRange))' (must be 100-699)") }
            try checkVersion(version, fail)
            let reason = codeEnd < line.upperBound ? cursor.string((codeEnd + 1)..<line.upperBound) : ""
            return .response(SIPResponse(statusCode: code, reasonPhrase: reason, version: version))
        }
        guard spaces.count == 2, spaces[0] > line.lowerBound, spaces[1] > spaces[0] + 1, spaces[1] + 1 < line.upperBound
        else { throw fail("request line must be 'METHOD SP Request-URI SP SIP-Version' with single spaces") }
        let method = cursor.string(line.lowerBound..<spaces[0])
        guard SIPGrammar.isToken(method) else { throw fail("invalid method '\(method)'") }
        let uriText = cursor.string((spaces[0] + 1)..<spaces[1])
        if uriText.hasPrefix("<") { throw fail("Request-URI must not be enclosed in '<' '>'") }
        let uri: URI
        do {
            uri = try URI(parsing: uriText)
        } catch let error as SIPParseError {
            throw fail("invalid Request-URI '\(uriText)': \(error.reason)")
        }
        let version = cursor.string((spaces[1] + 1)..<line.upperBound)
        try checkVersion(version, fail)
        return .request(SIPRequest(method: SIPMethod(method), uri: uri, version: version))
    }

    /// Accepts any `SIP/x.y` so that a UAS can answer 505 to other versions.
    private func checkVersion(_ version: String, _ fail: (String) -> SIPParseError) throws {
        let parts = version.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "SIP",
            parts[1].split(separator: ".", omittingEmptySubsequences: false).count == 2,
            parts[1].allSatisfy({ $0.isASCIIDigit || $0 == "." }), parts[1].first != ".", parts[1].last != "."
        else { throw fail("invalid SIP version '\(version)'") }
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
        guard let lf = buffer[start...].firstIndex(of: 0x0A) else {
            position = buffer.count
            return start..<buffer.count
        }
        position = lf + 1
        let end = lf > start && buffer[lf - 1] == 0x0D ? lf - 1 : lf
        return start..<end
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
