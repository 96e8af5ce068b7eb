import Glibc

@testable import SIPMedia

/// A blocking IPv4 UDP socket bound to 127.0.0.1, just enough for loopback tests.
final class UDPSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = UDPSocket.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            Glibc.close(fd)
            throw Failure(description: "bind: errno \(errno)")
        }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: local.sin_port)
    }

    deinit { Glibc.close(fd) }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// A port that was free a moment ago, for a child process to bind.
    static func freePort() throws -> UInt16 {
        try UDPSocket().port
    }

    func send(_ datagram: [UInt8], to port: UInt16) {
        var address = UDPSocket.loopback(port: port)
        _ = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Waits up to `timeout` for one datagram; returns it with the sender's port.
    func receive(timeout: Duration) -> (datagram: [UInt8], port: UInt16)? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let millis = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        guard poll(&poller, 1, Int32(clamping: max(millis, 0))) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length)
                }
            }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer.prefix(count)), UInt16(bigEndian: from.sin_port))
    }
}

/// Runs `endpoint` over `socket` until it connects, fails or closes, or `limit` passes.
/// `peerPort` nil means: learn the peer from the first datagram (server role).
func drive(
    _ endpoint: DTLSEndpoint, socket: UDPSocket, peerPort: UInt16?,
    limit: Duration = .seconds(10)
) -> (event: DTLSEvent?, peerPort: UInt16?) {
    var peer = peerPort
    func send(_ datagrams: [[UInt8]]) {
        guard let peer else { return }
        for datagram in datagrams { socket.send(datagram, to: peer) }
    }
    let start = endpoint.start()
    send(start.datagrams)
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        let wait = min(endpoint.nextTimeout ?? .milliseconds(100), .milliseconds(100))
        if let (datagram, from) = socket.receive(timeout: wait) {
            if peer == nil { peer = from }
            let output = endpoint.receive(datagram)
            send(output.datagrams)
            if let event = output.event { return (event, peer) }
        } else {
            let output = endpoint.handleTimeout()
            send(output.datagrams)
            if let event = output.event { return (event, peer) }
        }
    }
    return (nil, peer)
}
