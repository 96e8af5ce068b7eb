import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bare SIP peer for tests: one UDP socket on 127.0.0.1, SIP text in and out and nothing done
/// for the test (no transactions, no retransmissions, no automatic ACK), so a test can produce
/// exactly the messages a real phone would not send on demand. Optionally a second socket on
/// `mediaPort` swallows the RTP the agent sends to the SDP this peer writes.
///
/// Used by one test task at a time; reading never blocks a thread (non-blocking sockets polled
/// between short `Task.sleep`s).
public final class RawPeer {
    public let port: Int
    public let mediaPort: Int?
    private let socket: Int32
    private let mediaSocket: Int32?
    /// Received and not yet returned by `receive`.
    private var pending: [String] = []
    /// Everything received, in order, returned or not.
    public private(set) var received: [String] = []
    /// Everything sent, in order.
    public private(set) var sent: [String] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// `mediaPort` 0 takes any free port (read it back from `mediaPort`): fixed low ports can
    /// be taken by a peer's own sockets (Kamailio was seen holding one).
    public init(port: Int, mediaPort: Int? = nil) throws {
        self.port = port
        socket = try Self.bind(port: port)
        do {
            mediaSocket = try mediaPort.map { try Self.bind(port: $0) }
        } catch {
            Glibc.close(socket)
            throw error
        }
        self.mediaPort = mediaSocket.map(Self.localPort)
    }

    private static func localPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        Glibc.close(socket)
        if let mediaSocket { Glibc.close(mediaSocket) }
    }

    /// This peer's `host:port`.
    public var address: String { "127.0.0.1:\(port)" }

    private static func bind(port: Int) throws -> Int32 {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure("bind 127.0.0.1:\(port): \(reason)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    /// Sends `text` as one datagram to `host:port` (an IPv4 literal).
    public func send(_ text: String, to destination: String) throws {
        guard let colon = destination.lastIndex(of: ":"), let port = UInt16(destination[colon...].dropFirst())
        else { throw Failure("not host:port: \(destination)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port.bigEndian)
        address.sin_addr.s_addr = inet_addr(String(destination[..<colon]))
        let bytes = Array(text.utf8)
        let count = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes {
                    sendto(
                        socket, $0.baseAddress, $0.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard count == bytes.count else { throw Failure("sendto \(destination): \(String(cString: strerror(errno)))") }
        sent.append(text)
    }

    /// The next message received (oldest first), or nil after `timeout` seconds.
    public func receive(timeout: Double) async -> String? {
        await receive(timeout: timeout) { _ in true }
    }

    /// The oldest message received that `predicate` accepts, or nil after `timeout` seconds; the
    /// others stay queued for later calls.
    public func receive(timeout: Double, where predicate: (String) -> Bool) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            readAvailable()
            if let index = pending.firstIndex(where: predicate) {
                return pending.remove(at: index)
            }
            if Date() >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Every message `predicate` accepts that arrives within `duration` seconds (queued ones too).
    public func collect(for duration: Double, where predicate: (String) -> Bool) async -> [String] {
        let deadline = Date().addingTimeInterval(duration)
        var found: [String] = []
        while true {
            readAvailable()
            while let index = pending.firstIndex(where: predicate) { found.append(pending.remove(at: index)) }
            if Date() >= deadline { return found }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Reads every datagram waiting on the sockets (RTP on the media socket is dropped).
    private func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        if let mediaSocket {
            while buffer.withUnsafeMutableBytes({ recv(mediaSocket, $0.baseAddress, $0.count, 0) }) > 0 {}
        }
        while true {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return }
            let count = buffer.withUnsafeMutableBytes { recvfrom(socket, $0.baseAddress, $0.count, 0, nil, nil) }
            guard count > 0 else { return }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            received.append(text)
            pending.append(text)
        }
    }

    /// A description of everything received, for failure messages.
    public var log: String {
        received.map {
            $0.split(separator: "\r\n", omittingEmptySubsequences: false).prefix(12).joined(separator: "\n")
        }
        .joined(separator: "\n----\n")
    }
}

/// Reading and writing SIP text the way a test peer needs: no parser, just lines.
public enum SIPText {
    /// Compact header forms (RFC 3261 §7.3.3) and their full names, lowercased.
    private static let compact: [String: String] = [
        "v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length",
        "c": "content-type", "k": "supported", "e": "content-encoding", "r": "refer-to", "o": "event",
    ]

    private static func fullName(_ name: String) -> String {
        let lower = name.lowercased()
        return compact[lower] ?? lower
    }

    /// The start line: `INVITE sip:… SIP/2.0` or `SIP/2.0 200 OK`.
    public static func startLine(_ message: String) -> String {
        // "\r\n" is one Character in Swift: split on the string, not on characters.
        message.components(separatedBy: "\r\n").first.map { String($0.prefix { $0 != "\n" }) } ?? ""
    }

    /// The status code of a response, nil for a request.
    public static func status(_ message: String) -> Int? {
        let line = startLine(message)
        guard line.hasPrefix("SIP/2.0 ") else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// The method of a request, nil for a response.
    public static func method(_ message: String) -> String? {
        let line = startLine(message)
        guard !line.hasPrefix("SIP/2.0") else { return nil }
        return line.split(separator: " ").first.map(String.init)
    }

    /// The Request-URI of a request.
    public static func requestURI(_ message: String) -> String? {
        guard method(message) != nil else { return nil }
        return startLine(message).split(separator: " ").dropFirst().first.map(String.init)
    }

    /// The header lines (folded lines joined) before the blank line.
    public static func headerLines(_ message: String) -> [(name: String, value: String)] {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? message
        var fields: [(name: String, value: String)] = []
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            if line.first == " " || line.first == "\t", let last = fields.popLast() {
                fields.append((last.name, last.value + " " + line.trimmingCharacters(in: .whitespaces)))
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((name, value))
        }
        return fields
    }

    /// Every value of a header (compact forms included), in order.
    public static func headers(_ name: String, in message: String) -> [String] {
        let wanted = fullName(name)
        return headerLines(message).filter { fullName($0.name) == wanted }.map(\.value)
    }

    /// The first value of a header.
    public static func header(_ name: String, in message: String) -> String? {
        headers(name, in: message).first
    }

    /// The body after the blank line.
    public static func body(_ message: String) -> String {
        guard let range = message.range(of: "\r\n\r\n") else { return "" }
        return String(message[range.upperBound...])
    }

    /// CSeq number and method.
    public static func cseq(_ message: String) -> (number: Int, method: String)? {
        guard let value = header("CSeq", in: message) else { return nil }
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let number = Int(parts[0]) else { return nil }
        return (number, String(parts[1]))
    }

    /// A `;name=value` parameter of a header value (`tag`, `branch`, `cause`…).
    public static func parameter(_ name: String, in value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.first?.trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() {
                return pair.count == 2 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
            }
        }
        return nil
    }

    /// The tag of the From or To header.
    public static func tag(_ header: String, in message: String) -> String? {
        self.header(header, in: message).flatMap { parameter("tag", in: $0) }
    }

    /// The URI inside `<…>` of a name-addr (Contact, To…), or the value up to its parameters.
    public static func uri(in value: String) -> String {
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            return String(value[value.index(after: open)..<close])
        }
        return String(value.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
    }

    /// A message from its start line, header lines and body, with CRLF line ends and the right
    /// Content-Length (added last).
    public static func message(_ startLine: String, _ headers: [String], body: String = "") -> String {
        let lines = [startLine] + headers + ["Content-Length: \(body.utf8.count)"]
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// A response to `request`: its Vias, From, To (with `toTag` added when it has none), Call-ID
    /// and CSeq, then `headers`; `body` with `contentType` (application/sdp by default).
    public static func response(
        to request: String, _ status: Int, _ reason: String, toTag: String? = nil, headers: [String] = [],
        body: String = "", contentType: String = "application/sdp"
    ) -> String {
        var lines: [String] = []
        for field in headerLines(request) {
            switch fullName(field.name) {
            case "via", "from", "call-id", "cseq": lines.append("\(field.name): \(field.value)")
            case "to":
                if let toTag, parameter("tag", in: field.value) == nil {
                    lines.append("To: \(field.value);tag=\(toTag)")
                } else {
                    lines.append("To: \(field.value)")
                }
            default: break
            }
        }
        lines += headers
        if !body.isEmpty { lines.append("Content-Type: \(contentType)") }
        return message("SIP/2.0 \(status) \(reason)", lines, body: body)
    }

    /// A fresh Via branch (RFC 3261 magic cookie first).
    public static func branch() -> String {
        "z9hG4bK" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }

    /// A fresh tag or Call-ID token.
    public static func token() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    }
}
