import Foundation
import Testing

@testable import SIPMedia

/// Interop with an independent DTLS implementation: the `openssl` command-line tool, over real UDP
/// on 127.0.0.1. These tests fail (never skip) when the tool is missing.
@Suite(.serialized) struct DTLSInteropTests {
    static let keyingMaterialLength = 2 * (16 + 14)  // SRTP_AES128_CM_SHA1_80

    struct OpenSSLRun {
        let process: Process
        let output: URL
        let directory: URL
        /// s_server quits at EOF on stdin, so it gets a pipe that stays open until `finish`.
        let stdin: Pipe?
    }

    static func openSSLPath() throws -> String {
        for candidate in ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        Issue.record("the openssl binary is required for interop tests (apt-get install openssl)")
        throw UDPSocket.Failure(description: "openssl not found")
    }

    /// `openssl s_server` for one DTLS 1.2 client on `port`, with `extra` options.
    static func server(port: UInt16, certificate: DTLSCertificate, _ extra: [String]) throws -> OpenSSLRun {
        try launch(
            ["s_server", "-dtls1_2", "-accept", "127.0.0.1:\(port)", "-naccept", "1"] + extra, certificate: certificate)
    }

    /// Our client endpoint towards an openssl server, expecting `fingerprint`.
    static func client(_ ours: DTLSCertificate, expecting fingerprint: DTLSFingerprint) throws -> DTLSEndpoint {
        try DTLSEndpoint(
            role: .client, certificate: ours, peerFingerprint: fingerprint, initialRetransmitTimeout: .milliseconds(100)
        )
    }

    /// Starts `openssl <arguments>` with the peer's certificate and key written to a temp folder.
    static func launch(_ arguments: [String], certificate: DTLSCertificate) throws -> OpenSSLRun {
        let stdin: Pipe? = arguments.first == "s_server" ? Pipe() : nil
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dtls-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pem = try certificate.pem()
        let certFile = directory.appendingPathComponent("cert.pem")
        let keyFile = directory.appendingPathComponent("key.pem")
        try pem.certificate.write(to: certFile, atomically: true, encoding: .utf8)
        try pem.privateKey.write(to: keyFile, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try openSSLPath())
        process.arguments = arguments + ["-cert", certFile.path, "-key", keyFile.path]
        process.standardInput = stdin ?? FileHandle.nullDevice
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return OpenSSLRun(process: process, output: output, directory: directory, stdin: stdin)
    }

    /// Waits for the tool to exit (killing it after `limit`) and returns what it printed.
    static func finish(_ run: OpenSSLRun, limit: Duration = .seconds(5)) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while run.process.isRunning && clock.now < deadline { usleep(10_000) }
        if run.process.isRunning {
            run.process.terminate()
            run.process.waitUntilExit()
        }
        try? run.stdin?.fileHandleForWriting.close()
        defer { try? FileManager.default.removeItem(at: run.directory) }
        return try String(contentsOf: run.output, encoding: .utf8)
    }

    /// The values after "profile=" and "Keying material: " in s_server / s_client output.
    static func parse(_ text: String) -> (profile: String?, material: [UInt8]?, protocolLine: Bool) {
        var profile: String?
        var material: [UInt8]?
        for line in text.split(separator: "\n") {
            if let range = line.range(of: "SRTP Extension negotiated, profile=") {
                profile = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
            if let range = line.range(of: "Keying material: ") {
                let hex = Array(line[range.upperBound...].trimmingCharacters(in: .whitespaces))
                guard hex.count % 2 == 0 else { continue }
                material = stride(from: 0, to: hex.count, by: 2).compactMap {
                    UInt8(String(hex[$0...$0 + 1]), radix: 16)
                }
            }
        }
        return (profile, material, text.contains("DTLSv1.2"))
    }

    static func concatenated(_ keys: SRTPKeys, weAreClient: Bool) -> [UInt8] {
        weAreClient
            ? keys.localKey + keys.remoteKey + keys.localSalt + keys.remoteSalt
            : keys.remoteKey + keys.localKey + keys.remoteSalt + keys.localSalt
    }

    @Test func weAreClientAgainstOpenSSLServer() throws {
        let ours = try DTLSCertificate()
        let theirs = try DTLSCertificate()
        let port = try UDPSocket.freePort()
        let server = try Self.server(
            port: port, certificate: theirs,
            [
                "-Verify", "1",
                "-use_srtp", "SRTP_AES128_CM_SHA1_80",
                "-keymatexport", SRTPKeys.exporterLabel, "-keymatexportlen", "\(Self.keyingMaterialLength)",
            ])

        let socket = try UDPSocket()
        // Offer our full default list: the server may only pick what it was told to.
        let endpoint = try Self.client(ours, expecting: theirs.fingerprint)
        let (event, _) = drive(endpoint, socket: socket, peerPort: port)
        let version = endpoint.negotiatedProtocol
        let cipher = endpoint.negotiatedCipher
        // Close so that s_server (-naccept 1) exits and flushes its output.
        for datagram in endpoint.close().datagrams { socket.send(datagram, to: port) }
        let text = try Self.finish(server)

        let keys = try #require(event?.keys, "handshake with s_server failed: \(String(describing: event)) \(text)")
        let printed = Self.parse(text)
        #expect(keys.profile == .aesCM128HMACSHA1_80)
        #expect(printed.profile == "SRTP_AES128_CM_SHA1_80")
        #expect(printed.material == Self.concatenated(keys, weAreClient: true))
        #expect(printed.material?.count == Self.keyingMaterialLength)
        #expect(version == "DTLSv1.2")
        #expect(cipher.map { text.contains("CIPHER is \($0)") } == true)
        // s_server got and printed our (self-signed) client certificate.
        #expect(text.contains("Client certificate") && text.contains("subject=CN = sipterm"))
    }

    @Test func weAreServerAgainstOpenSSLClient() throws {
        let ours = try DTLSCertificate()
        let theirs = try DTLSCertificate()
        let socket = try UDPSocket()
        let endpoint = try DTLSEndpoint(
            role: .server, certificate: ours, peerFingerprint: theirs.fingerprint,
            profiles: [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
        _ = endpoint.start()
        let client = try Self.launch(
            [
                "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)",
                "-use_srtp", "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80",
                "-keymatexport", SRTPKeys.exporterLabel, "-keymatexportlen", "\(Self.keyingMaterialLength)",
            ], certificate: theirs)
        let (event, peer) = drive(endpoint, socket: socket, peerPort: nil)
        // s_client, with stdin at EOF, prints its session and closes; answer anything it sends.
        var closed = false
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while client.process.isRunning && clock.now < deadline {
            if let (datagram, _) = socket.receive(timeout: .milliseconds(20)) {
                let output = endpoint.receive(datagram)
                if output.event == .closed { closed = true }
                if let peer { for d in output.datagrams { socket.send(d, to: peer) } }
            }
        }
        let text = try Self.finish(client)

        let keys = try #require(event?.keys, "handshake with s_client failed: \(String(describing: event))\n\(text)")
        let printed = Self.parse(text)
        // Server preference: SHA1_80 although the client listed SHA1_32 first.
        #expect(keys.profile == .aesCM128HMACSHA1_80)
        #expect(printed.profile == "SRTP_AES128_CM_SHA1_80")
        #expect(printed.protocolLine)
        #expect(printed.material == Self.concatenated(keys, weAreClient: false))
        #expect(closed || endpoint.state == .closed)
        #expect(text.contains("Server certificate") && text.contains("subject=CN = sipterm"))
        #expect(text.contains("Peer signature type: ECDSA"))
    }

    @Test func wrongFingerprintOfOpenSSLServerFails() throws {
        let ours = try DTLSCertificate()
        let theirs = try DTLSCertificate()
        let someoneElse = try DTLSCertificate()
        let port = try UDPSocket.freePort()
        let server = try Self.server(
            port: port, certificate: theirs,
            [
                "-Verify", "1",
                "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            ])
        let socket = try UDPSocket()
        let endpoint = try Self.client(ours, expecting: someoneElse.fingerprint)
        let (event, _) = drive(endpoint, socket: socket, peerPort: port)
        _ = try Self.finish(server)
        #expect(event == .failed("DTLS: the peer's certificate does not match the SDP fingerprint"))
    }

    @Test func fatalAlertFromOpenSSLServerIsReported() throws {
        let ours = try DTLSCertificate()
        let theirs = try DTLSCertificate()
        let port = try UDPSocket.freePort()
        // RSA-only suites cannot work with ECDSA certificates: s_server aborts with an alert.
        let server = try Self.server(
            port: port, certificate: theirs,
            [
                "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            ])
        let socket = try UDPSocket()
        let endpoint = try Self.client(ours, expecting: theirs.fingerprint)
        let (event, _) = drive(endpoint, socket: socket, peerPort: port)
        let text = try Self.finish(server)
        #expect(event == .failed("DTLS: the peer sent a fatal alert: handshake failure"), "\(text)")
    }

    @Test func openSSLClientWithoutUsableCipherFailsOnOurSide() throws {
        let ours = try DTLSCertificate()
        let theirs = try DTLSCertificate()
        let socket = try UDPSocket()
        let endpoint = try DTLSEndpoint(role: .server, certificate: ours, peerFingerprint: theirs.fingerprint)
        _ = endpoint.start()
        let client = try Self.launch(
            [
                "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)",
                "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            ], certificate: theirs)
        let (event, _) = drive(endpoint, socket: socket, peerPort: nil)
        let text = try Self.finish(client)
        #expect(event == .failed("DTLS: handshake failed: no shared cipher"), "\(text)")
        #expect(text.contains("alert handshake failure"))
    }

    @Test func fingerprintMatchesOpenSSLX509() throws {
        let certificate = try DTLSCertificate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-fp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cert.pem")
        try certificate.pem().certificate.write(to: file, atomically: true, encoding: .utf8)
        for (hash, flag) in [
            ("sha-256", "-sha256"), ("sha-1", "-sha1"), ("sha-384", "-sha384"), ("sha-512", "-sha512"),
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try Self.openSSLPath())
            process.arguments = ["x509", "-in", file.path, "-noout", "-fingerprint", flag, "-subject", "-dates"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            let printed = text.split(separator: "\n").first { $0.contains("Fingerprint=") }
                .flatMap { $0.split(separator: "=").last }.map(String.init)
            #expect(printed == certificate.fingerprint(hashFunction: hash)?.value, "\(hash): \(text)")
            #expect(text.contains("CN = sipterm"))
        }
    }
}
