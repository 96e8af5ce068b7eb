import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// tcpdump on the loopback interface, for tests that check what really went on the wire (SRTP
/// payloads are not the plaintext). The capture runs while the test does; `stop()` returns
/// the UDP payloads it saw. Without tcpdump, or without the rights to capture, the test
/// fails with that reason: it never passes on an empty capture.
public final class LoopbackCapture: Sendable {
    let process: BackgroundProcess
    let file: String

    /// Captures UDP datagrams to or from `ports` (a `low-high` range) on `lo`.
    public init(udpPorts ports: ClosedRange<Int>) async throws {
        let tcpdump = ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let tcpdump else {
            throw BackgroundProcess.Failure("tcpdump is not installed (scripts/test installs it): no capture")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipterm-capture-\(UUID().uuidString)"
        ).path
        file = directory + "/capture.pcap"
        process = try BackgroundProcess(
            tcpdump,
            ["-i", "lo", "-U", "-n", "-w", file, "udp", "portrange", "\(ports.lowerBound)-\(ports.upperBound)"],
            name: "tcpdump", directory: directory)
        // tcpdump says it listens once the capture has started.
        let deadline = Date().addingTimeInterval(10)
        while !process.stderr.contains("listening on") {
            if Date() > deadline {
                throw BackgroundProcess.Failure("tcpdump did not start capturing: \(process.stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// One captured UDP datagram: its payload and the ports it went between, so a test can say
    /// which side sent it.
    public struct Datagram: Sendable {
        public var payload: [UInt8]
        public var sourcePort: Int
        public var destinationPort: Int
    }

    /// Ends the capture; the UDP datagrams, in the order captured.
    public func stop() async throws -> [Datagram] {
        try await Task.sleep(for: .milliseconds(300))
        kill(process.pid, SIGINT)
        _ = await process.wait(timeout: 10)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        return try Self.udpDatagrams(pcap: bytes)
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The UDP datagrams of a classic pcap file of IPv4 frames (Ethernet on Linux `lo`).
    static func udpDatagrams(pcap bytes: [UInt8]) throws -> [Datagram] {
        func u32(_ offset: Int) -> Int {
            Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3])
                << 24
        }
        guard bytes.count >= 24, u32(0) == 0xA1B2_C3D4 else {
            throw Malformed(description: "not a little-endian pcap file")
        }
        let linkType = u32(20)
        let linkHeader = linkType == 1 ? 14 : linkType == 113 ? 16 : 0
        var datagrams: [Datagram] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length = u32(offset + 8)
            let start = offset + 16
            offset = start + length
            guard offset <= bytes.count else { break }
            let ip = start + linkHeader
            guard ip + 20 <= offset, bytes[ip] >> 4 == 4, bytes[ip + 9] == 17 else { continue }
            let udp = ip + Int(bytes[ip] & 0x0F) * 4
            guard udp + 8 <= offset else { continue }
            datagrams.append(
                Datagram(
                    payload: Array(bytes[(udp + 8)..<offset]), sourcePort: Int(bytes[udp]) << 8 | Int(bytes[udp + 1]),
                    destinationPort: Int(bytes[udp + 2]) << 8 | Int(bytes[udp + 3])))
        }
        return datagrams
    }
}
