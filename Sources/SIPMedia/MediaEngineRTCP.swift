import NIOCore

/// RTCP for the engine (RFC 3550 §6): a report every 5 s — SR while sending, RR otherwise —
/// with a CNAME, and the peer's reports read for the round-trip time; BYE when the call ends.
extension MediaEngine {
    static let reportIntervalFrames: Int64 = 250

    func sendReport(bye: Bool = false) {
        guard let (rtcp, remote) = rtcpPath else { return }
        var blocks: [ReportBlock] = []
        if let remoteSSRC {
            let sinceSR = lastSenderReport.map { (NIODeadline.now() - $0.arrival).nanoseconds } ?? 0
            blocks.append(
                reception.reportBlock(
                    ssrc: remoteSSRC, lastSRTimestamp: lastSenderReport?.ntpMiddle ?? 0,
                    delaySinceLastSR: lastSenderReport == nil
                        ? 0 : RoundTripTime.compactDelay(seconds: Double(sinceSR) / 1e9)))
        }
        var packets: [RTCPPacket] = []
        if sender.packetsSent > 0 {
            packets.append(
                sender.senderReport(ssrc: ssrc, ntp: .now(), rtpTimestamp: timestamp, reportBlocks: blocks))
        } else {
            packets.append(.receiverReport(RTCPPacket.ReceiverReport(ssrc: ssrc, reportBlocks: blocks)))
        }
        packets.append(.sourceDescription(RTCPPacket.SourceDescription(ssrc: ssrc, cname: cname)))
        if bye { packets.append(.goodbye(RTCPPacket.Goodbye(ssrcs: [ssrc]))) }
        guard let bytes = secured(RTCPPacket.compound(packets), rtcp: true) else { return }
        rtcp.writeAndFlush(
            AddressedEnvelope(remoteAddress: remote, data: rtcp.allocator.buffer(bytes: bytes)), promise: nil)
    }

    /// A datagram on the RTCP socket: RTCP only (a DTLS-SRTP peer's RTCP handshake there is
    /// left unanswered, see `rtcpPath`).
    func receiveOnRTCPSocket(_ bytes: [UInt8], from source: SocketAddress) {
        guard DTLSPacketKind(bytes) == .rtp else { return }
        receiveRTCP(bytes, from: source)
    }

    /// A compound RTCP datagram from the peer.
    func receiveRTCP(_ bytes: [UInt8], from source: SocketAddress) {
        guard let plain = opened(bytes, rtcp: true), let packets = try? RTCPPacket.parse(compound: plain) else {
            return
        }
        learnedRTCPRemote = source
        for packet in packets {
            let blocks: [ReportBlock]
            switch packet {
            case .senderReport(let report):
                lastSenderReport = (report.ntp.middle32, .now())
                blocks = report.reportBlocks
            case .receiverReport(let report):
                blocks = report.reportBlocks
            default:
                continue
            }
            for block in blocks where block.ssrc == ssrc {
                if let rtt = RoundTripTime.roundTrip(
                    arrivalNTPMiddle: NTPTimestamp.now().middle32, lastSR: block.lastSR,
                    delaySinceLastSR: block.delaySinceLastSR)
                {
                    roundTrip = rtt
                }
                peerFractionLost = Double(block.fractionLost) / 256
            }
        }
    }

    /// The socket and address reports go to: with rtcp-mux the RTP ones; else the RTCP socket.
    /// None for DTLS-SRTP without rtcp-mux: RTCP would need a handshake of its own (RFC 5764
    /// §4.1), and reports are worth less than a second association.
    var rtcpPath: (any Channel, SocketAddress)? {
        if settings?.rtcpMux == true {
            return iceReady ? mediaDestination.map { (iceChannel(icePath.selectedBase), $0) } : nil
        }
        if settings?.dtls != nil { return nil }
        guard let rtcpChannel, let remote = rtcpRemote else { return nil }
        return (rtcpChannel, remote)
    }

    /// Where reports go: where the peer's come from, else its RTP port + 1.
    var rtcpRemote: SocketAddress? {
        if let learnedRTCPRemote { return learnedRTCPRemote }
        guard let rtp = learnedRemote ?? settings?.remote, let port = rtp.port, let ip = rtp.ipAddress else {
            return nil
        }
        return try? SocketAddress(ipAddress: ip, port: port + 1)
    }
}
