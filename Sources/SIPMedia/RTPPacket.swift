/// An RTP packet (RFC 3550 §5.1) as a value: header fields, contributing sources, the header
/// extension if any, and the payload. Parsing checks every length against the datagram, so a
/// hostile packet is refused, never read past.
public struct RTPPacket: Sendable, Equatable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32] = []
    /// Profile-defined extension: its 16-bit profile value and 32-bit words.
    public var extensionHeader: (profile: UInt16, words: [UInt32])?
    public var payload: [UInt8]

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        payload: [UInt8]
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.payload = payload
    }

    public static func == (lhs: RTPPacket, rhs: RTPPacket) -> Bool {
        lhs.marker == rhs.marker && lhs.payloadType == rhs.payloadType && lhs.sequenceNumber == rhs.sequenceNumber
            && lhs.timestamp == rhs.timestamp && lhs.ssrc == rhs.ssrc && lhs.csrcs == rhs.csrcs
            && lhs.extensionHeader?.profile == rhs.extensionHeader?.profile
            && lhs.extensionHeader?.words == rhs.extensionHeader?.words && lhs.payload == rhs.payload
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing bytes: [UInt8]) throws(Invalid) {
        guard bytes.count >= 12 else {
            throw Invalid(description: "RTP packet of \(bytes.count) bytes is shorter than its 12-byte header")
        }
        guard bytes[0] >> 6 == 2 else { throw Invalid(description: "RTP version \(bytes[0] >> 6), expected 2") }
        let hasPadding = bytes[0] & 0x20 != 0
        let hasExtension = bytes[0] & 0x10 != 0
        let csrcCount = Int(bytes[0] & 0x0F)
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        var offset = 12 + 4 * csrcCount
        guard offset <= bytes.count else { throw Invalid(description: "RTP packet too short for \(csrcCount) CSRCs") }
        self.init(
            marker: bytes[1] & 0x80 != 0, payloadType: bytes[1] & 0x7F,
            sequenceNumber: UInt16(bytes[2]) << 8 | UInt16(bytes[3]),
            timestamp: word(4), ssrc: word(8), payload: [])
        csrcs = (0..<csrcCount).map { word(12 + 4 * $0) }
        if hasExtension {
            guard offset + 4 <= bytes.count else { throw Invalid(description: "RTP header extension truncated") }
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let length = Int(UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3]))
            offset += 4
            guard offset + 4 * length <= bytes.count else {
                throw Invalid(description: "RTP header extension truncated")
            }
            extensionHeader = (profile, (0..<length).map { word(offset + 4 * $0) })
            offset += 4 * length
        }
        var end = bytes.count
        if hasPadding {
            let padding = Int(bytes[bytes.count - 1])
            guard padding >= 1, offset + padding <= bytes.count else {
                throw Invalid(description: "RTP padding of \(padding) bytes is invalid")
            }
            end -= padding
        }
        payload = Array(bytes[offset..<end])
    }

    /// The packet as bytes (no padding).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(12 + 4 * csrcs.count + payload.count)
        out.append(0x80 | (extensionHeader == nil ? 0 : 0x10) | UInt8(min(csrcs.count, 15)))
        out.append((marker ? 0x80 : 0) | payloadType & 0x7F)
        func append(_ value: UInt32) {
            out.append(UInt8(value >> 24))
            out.append(UInt8(value >> 16 & 0xFF))
            out.append(UInt8(value >> 8 & 0xFF))
            out.append(UInt8(value & 0xFF))
        }
        out.append(UInt8(sequenceNumber >> 8))
        out.append(UInt8(sequenceNumber & 0xFF))
        append(timestamp)
        append(ssrc)
        for csrc in csrcs.prefix(15) { append(csrc) }
        if let extensionHeader {
            out.append(UInt8(extensionHeader.profile >> 8))
            out.append(UInt8(extensionHeader.profile & 0xFF))
            out.append(UInt8(extensionHeader.words.count >> 8 & 0xFF))
            out.append(UInt8(extensionHeader.words.count & 0xFF))
            for value in extensionHeader.words { append(value) }
        }
        out.append(contentsOf: payload)
        return out
    }
}
