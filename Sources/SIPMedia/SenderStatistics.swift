/// What an RTP sender counts for its sender reports (RFC 3550 §6.4.1): data packets and payload
/// octets sent since it began (or last changed SSRC), both wrapping at 2^32.
public struct SenderStatistics: Sendable, Hashable {
    public private(set) var packetsSent: UInt32 = 0
    /// Payload octets only: no header, no padding.
    public private(set) var octetsSent: UInt32 = 0

    public init() {}

    public mutating func sent(payloadOctets: Int) {
        packetsSent &+= 1
        octetsSent &+= UInt32(truncatingIfNeeded: max(payloadOctets, 0))
    }

    public mutating func sent(_ packet: RTPPacket) { sent(payloadOctets: packet.payload.count) }

    /// An SR carrying these counts, sent at `ntp`, which is `rtpTimestamp` in the media's clock.
    public func senderReport(
        ssrc: UInt32, ntp: NTPTimestamp, rtpTimestamp: UInt32, reportBlocks: [ReportBlock] = []
    ) -> RTCPPacket {
        .senderReport(
            RTCPPacket.SenderReport(
                ssrc: ssrc, ntp: ntp, rtpTimestamp: rtpTimestamp, packetCount: packetsSent, octetCount: octetsSent,
                reportBlocks: reportBlocks))
    }
}
