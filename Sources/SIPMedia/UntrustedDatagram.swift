import NIOCore

/// Everything a datagram from the network can reach on a call's media socket, without the
/// socket: for the FuzzMedia target, which must show that no datagram crashes sipterm. Each
/// call builds fresh state, so an input behaves the same every time it is replayed.
public enum UntrustedDatagram {
    /// How an input is fed. `.resigned` gives STUN inputs a valid MESSAGE-INTEGRITY (with the
    /// agent's password) and FINGERPRINT, so the fuzzer gets past the checks into the ICE agent.
    public enum Mode: Sendable, CaseIterable {
        case raw, resigned
    }

    /// The local ICE password the fuzz agent checks integrity with.
    static let password = "fuzz-password-0123456789"
    static let local = ICECredentials(ufrag: "fuzL", password: password)
    static let remote = ICECredentials(ufrag: "fuzR", password: "remote-password-0123456789")
    static let peer: SocketAddress? = try? SocketAddress(ipAddress: "127.0.0.1", port: 40_000)

    /// Feeds `bytes` to the RFC 7983 demultiplexer and to whatever it routes them to (STUN and
    /// the ICE agent in both roles, a DTLS endpoint as client and as server, RTP, RTCP, RFC 4733
    /// events, SRTP and SRTCP unprotect); traps when a property breaks: what parses as STUN must
    /// encode to bytes that parse back equal.
    public static func check(_ bytes: [UInt8], mode: Mode) {
        switch DTLSPacketKind(bytes) {
        case .stun: checkSTUN(mode == .resigned ? resigned(bytes) : bytes)
        case .dtls: checkDTLS(bytes)
        case .rtp: checkRTP(bytes)
        case .unknown: break
        }
    }

    /// A STUN input re-signed with the agent's key, or the input itself when it does not parse.
    static func resigned(_ bytes: [UInt8]) -> [UInt8] {
        guard var message = try? STUNMessage(parsing: bytes) else { return bytes }
        message.attributes.removeAll {
            $0.type == STUNMessage.Attribute.messageIntegrity || $0.type == STUNMessage.Attribute.fingerprint
        }
        return message.encoded(integrityKey: Array(password.utf8))
    }

    static func checkSTUN(_ bytes: [UInt8]) {
        if let message = try? STUNMessage(parsing: bytes) {
            _ = message.mappedAddress
            _ = message.username
            _ = message.priority
            _ = message.errorCode
            _ = message.tieBreaker(STUNMessage.Attribute.iceControlling)
            let wire = message.encoded(integrityKey: nil)
            guard let again = try? STUNMessage(parsing: wire) else {
                fatalError("STUN round trip: the encoding of a parsed message does not parse")
            }
            // The encoding appends a FINGERPRINT; everything before it must be the same.
            var trimmed = again
            trimmed.attributes.removeLast()
            precondition(trimmed == message, "STUN round trip: parse(encode(m)) != m")
        }
        guard let peer else { return }
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        for role in [ICEAgent.Role.controlling, .controlled] {
            let host = ICECandidate(
                foundation: "1", priority: 2_130_706_431, address: "127.0.0.1", port: 16_000, kind: .host)
            let agent = ICEAgent(role: role, local: local, localCandidate: host)
            _ = agent.receive(bytes, from: peer, now: now)
            let remoteHost = ICECandidate(
                foundation: "2", priority: 2_130_706_431, address: "127.0.0.1", port: 40_000, kind: .host)
            agent.setRemote(remote, candidates: [remoteHost], lite: false, now: now)
            _ = agent.handleTimeout(now: now)
            _ = agent.receive(bytes, from: peer, now: now + .milliseconds(60))
            _ = agent.handleTimeout(now: now + .seconds(20))
        }
    }

    static func checkDTLS(_ bytes: [UInt8]) {
        guard let certificate = DTLSCertificate.perRun else { return }
        for role in [DTLSRole.client, .server] {
            guard
                let endpoint = try? DTLSEndpoint(
                    role: role, certificate: certificate, peerFingerprint: certificate.fingerprint)
            else { continue }
            if role == .client { _ = endpoint.start() }
            _ = endpoint.receive(bytes)
            _ = endpoint.receive(bytes)
            _ = endpoint.close()
        }
    }

    static func checkRTP(_ bytes: [UInt8]) {
        if let packet = try? RTPPacket(parsing: bytes) {
            _ = try? TelephoneEvent(parsing: packet.payload)
            var buffer = JitterBuffer()
            buffer.insert(packet, arrival: 0)
            _ = buffer.pop()
        }
        _ = try? RTCPPacket.parse(compound: bytes)
        let key = [UInt8](repeating: 7, count: SRTPProfile.aesCM128HMACSHA1_80.masterLength)
        if let context = try? SRTPContext(keys: SRTPKeys(profile: .aesCM128HMACSHA1_80, local: key, remote: key)) {
            _ = context.unprotect(bytes)
            _ = context.unprotectRTCP(bytes)
        }
    }
}

extension UntrustedDatagram {
    /// A seed corpus made by sipterm's own encoders: one of each datagram a call's socket gets.
    public static var seeds: [[UInt8]] {
        var seeds: [[UInt8]] = []
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let host = ICECandidate(
            foundation: "1", priority: 2_130_706_431, address: "127.0.0.1", port: 16_000, kind: .host)
        let remoteHost = ICECandidate(
            foundation: "2", priority: 2_130_706_431, address: "127.0.0.1", port: 40_000, kind: .host)
        // A connectivity check from the peer's agent (signed with our password), our answer to it,
        // and a gathering request to a STUN server.
        let peerAgent = ICEAgent(role: .controlling, local: remote, localCandidate: remoteHost)
        peerAgent.setRemote(local, candidates: [host], lite: false, now: now)
        let checks = peerAgent.handleTimeout(now: now).datagrams.map(\.bytes)
        seeds += checks
        let agent = ICEAgent(role: .controlled, local: local, localCandidate: host)
        agent.setRemote(remote, candidates: [remoteHost], lite: false, now: now)
        if let check = checks.first, let peer {
            seeds += agent.receive(check, from: peer, now: now).datagrams.map(\.bytes)
        }
        seeds.append(STUNMessage(.request).encoded(integrityKey: nil))
        // A ClientHello.
        if let certificate = DTLSCertificate.perRun,
            let client = try? DTLSEndpoint(
                role: .client, certificate: certificate, peerFingerprint: certificate.fingerprint)
        {
            seeds += client.start().datagrams
        }
        // RTP (PCMU and an RFC 4733 event), RTCP SR + SDES, and the same RTP protected by SRTP.
        let rtp = RTPPacket(
            payloadType: 0, sequenceNumber: 7, timestamp: 160, ssrc: 0x1234_5678,
            payload: [UInt8](repeating: 0xFF, count: 160)
        ).bytes
        seeds.append(rtp)
        let tone = TelephoneEvent(event: 5, duration: 400).bytes
        seeds.append(
            RTPPacket(payloadType: 101, sequenceNumber: 8, timestamp: 320, ssrc: 0x1234_5678, payload: tone).bytes)
        let report = RTCPPacket.SenderReport(
            ssrc: 0x1234_5678, ntp: NTPTimestamp(seconds: 3_900_000_000, fraction: 0), rtpTimestamp: 160,
            packetCount: 1, octetCount: 160, reportBlocks: [ReportBlock(ssrc: 0x8765_4321)])
        seeds.append(
            RTCPPacket.compound([
                .senderReport(report), .sourceDescription(.init(ssrc: 0x1234_5678, cname: "fuzz@sipterm")),
            ]))
        let key = [UInt8](repeating: 7, count: SRTPProfile.aesCM128HMACSHA1_80.masterLength)
        if let context = try? SRTPContext(keys: SRTPKeys(profile: .aesCM128HMACSHA1_80, local: key, remote: key)),
            let protected = context.protect(rtp)
        {
            seeds.append(protected)
        }
        return seeds
    }
}
