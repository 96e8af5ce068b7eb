/// Cuts a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 §18.3), and picks
/// out RFC 5626 keep-alives between them: a double CRLF is a ping, a single CRLF a pong.
/// Partial and coalesced reads are both handled; a head larger than the limit is an error,
/// since the stream cannot be resynchronised after it.
public struct StreamFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        case message([UInt8])
        case ping
        case pong
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public var maxMessageSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxMessageSize: Int = 65_536) { self.maxMessageSize = maxMessageSize }

    /// Bytes received but not yet returned as a frame.
    public var buffered: Int { buffer.count - start }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(Failure) -> Frame? {
        guard start < buffer.count else { return nil }
        if buffer[start] == 0x0D || buffer[start] == 0x0A {
            if matches(start, [0x0D, 0x0A, 0x0D, 0x0A]) {
                start += 4
                return .ping
            }
            if matches(start, [0x0D, 0x0A]) {
                start += 2
                return .pong
            }
            if buffer[start] == 0x0A {
                start += 1
                return .pong
            }
            if start + 1 >= buffer.count { return nil }
            throw Failure(description: "stray CR between messages")
        }
        guard let headEnd = find([0x0D, 0x0A, 0x0D, 0x0A], from: start) else {
            if buffered > maxMessageSize {
                throw Failure(description: "no end of headers within \(maxMessageSize) bytes")
            }
            return nil
        }
        let bodyStart = headEnd + 4
        let length = try contentLength(in: start..<headEnd)
        guard bodyStart - start + length <= maxMessageSize else {
            throw Failure(
                description: "message of \(bodyStart - start + length) bytes exceeds the \(maxMessageSize)-byte limit")
        }
        guard buffer.count >= bodyStart + length else { return nil }
        let frame = Array(buffer[start..<(bodyStart + length)])
        start = bodyStart + length
        return .message(frame)
    }

    private func matches(_ index: Int, _ pattern: [UInt8]) -> Bool {
        guard index + pattern.count <= buffer.count else { return false }
        for (offset, byte) in pattern.enumerated() where buffer[index + offset] != byte { return false }
        return true
    }

    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        var index = from
        while index + pattern.count <= buffer.count {
            if matches(index, pattern) { return index }
            index += 1
        }
        return nil
    }

    /// Reads Content-Length (or its compact form `l`) from the header block.
    private func contentLength(in head: Range<Int>) throws(Failure) -> Int {
        var lineStart = head.lowerBound
        var found: Int?
        while lineStart < head.upperBound {
            var lineEnd = lineStart
            while lineEnd < head.upperBound && buffer[lineEnd] != 0x0A { lineEnd += 1 }
            let line = buffer[lineStart..<lineEnd]
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: line[lineStart..<colon], as: UTF8.self).trimmingWhitespace.lowercased()
                if name == "content-length" || name == "l" {
                    let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace
                    guard value.count <= 9, let length = Int(value), length >= 0 else {
                        throw Failure(description: "invalid Content-Length '\(value)'")
                    }
                    if let found, found != length {
                        throw Failure(description: "conflicting Content-Length values \(found) and \(length)")
                    }
                    found = length
                }
            }
            lineStart = lineEnd + 1
        }
        guard let found else { throw Failure(description: "missing Content-Length on a stream transport") }
        return found
    }
}
