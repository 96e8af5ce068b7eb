/// One reception report block (RFC 3550 §6.4.1), as carried in an SR or an RR.
public struct ReportBlock: Sendable, Hashable {
    /// The source this block reports on.
    public var ssrc: UInt32
    /// Fraction of the expected packets lost since the previous report, as 8-bit fixed point
    /// (lost × 256 / expected, truncated).
    public var fractionLost: UInt8
    /// Packets lost since reception began: expected minus received, so duplicates can make it
    /// negative. 24-bit signed on the wire; serialization clamps to -0x800000...0x7FFFFF.
    public var cumulativeLost: Int32
    /// The highest sequence number received, with the count of wraparounds in its high 16 bits.
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// The middle 32 bits of the NTP timestamp of the last SR from this source (0 if none yet).
    public var lastSR: UInt32
    /// Delay between that SR's arrival and this report, in units of 1/65536 second.
    public var delaySinceLastSR: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequence: UInt32 = 0,
        jitter: UInt32 = 0, lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSR = lastSR
        self.delaySinceLastSR = delaySinceLastSR
    }

    /// The wire size of a report block.
    public static let size = 24
}

/// One RTCP packet (RFC 3550 §6) of a compound datagram: SR, RR, SDES, BYE, or any other type
/// kept as its raw body. Parsing checks the version, the length field and every count against
/// the bytes actually present, so a hostile datagram is refused with `Invalid`, never read past.
public enum RTCPPacket: Sendable, Hashable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(SourceDescription)
    case goodbye(Goodbye)
    /// A packet type this parser does not interpret (APP, feedback, XR, ...).
    case unknown(Raw)

    public enum PacketType {
        public static let senderReport: UInt8 = 200
        public static let receiverReport: UInt8 = 201
        public static let sourceDescription: UInt8 = 202
        public static let goodbye: UInt8 = 203
        public static let application: UInt8 = 204
    }

    /// Sender report (PT 200).
    public struct SenderReport: Sendable, Hashable {
        public var ssrc: UInt32
        /// Wallclock time when this report was sent.
        public var ntp: NTPTimestamp
        /// The same instant in the RTP timestamp units of this sender's media.
        public var rtpTimestamp: UInt32
        /// RTP data packets sent since transmission started (wraps at 2^32).
        public var packetCount: UInt32
        /// RTP payload octets sent since transmission started (wraps at 2^32).
        public var octetCount: UInt32
        public var reportBlocks: [ReportBlock]
        /// Profile-specific extension after the report blocks, raw. Serialized as is; a length
        /// that is not a multiple of 4 is completed with RTCP padding.
        public var profileExtension: [UInt8]

        public init(
            ssrc: UInt32, ntp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
            reportBlocks: [ReportBlock] = [], profileExtension: [UInt8] = []
        ) {
            self.ssrc = ssrc
            self.ntp = ntp
            self.rtpTimestamp = rtpTimestamp
            self.packetCount = packetCount
            self.octetCount = octetCount
            self.reportBlocks = reportBlocks
            self.profileExtension = profileExtension
        }
    }

    /// Receiver report (PT 201).
    public struct ReceiverReport: Sendable, Hashable {
        public var ssrc: UInt32
        public var reportBlocks: [ReportBlock]
        public var profileExtension: [UInt8]

        public init(ssrc: UInt32, reportBlocks: [ReportBlock] = [], profileExtension: [UInt8] = []) {
            self.ssrc = ssrc
            self.reportBlocks = reportBlocks
            self.profileExtension = profileExtension
        }
    }

    /// Source description (PT 202): one chunk of items per source.
    public struct SourceDescription: Sendable, Hashable {
        public var chunks: [Chunk]

        public init(chunks: [Chunk]) { self.chunks = chunks }

        /// The usual SDES of a compound report: one chunk carrying the CNAME.
        public init(ssrc: UInt32, cname: String) {
            chunks = [Chunk(ssrc: ssrc, items: [Item(type: .cname, text: cname)])]
        }

        public struct Chunk: Sendable, Hashable {
            public var ssrc: UInt32
            public var items: [Item]

            public init(ssrc: UInt32, items: [Item]) {
                self.ssrc = ssrc
                self.items = items
            }

            /// The text of the first CNAME item, if any.
            public var cname: String? { items.first { $0.type == .cname }?.text }
        }

        public struct Item: Sendable, Hashable {
            public var type: ItemType
            /// The item's octets (UTF-8 text for every standard type but PRIV). At most 255 are
            /// serialized.
            public var value: [UInt8]

            public init(type: ItemType, value: [UInt8]) {
                self.type = type
                self.value = value
            }

            public init(type: ItemType, text: String) {
                self.init(type: type, value: Array(text.utf8))
            }

            /// The value decoded as UTF-8 (invalid sequences replaced).
            public var text: String { String(decoding: value, as: UTF8.self) }
        }

        /// An SDES item type (RFC 3550 §6.5). Type 0 ends a chunk's item list and is never
        /// serialized as an item.
        public struct ItemType: RawRepresentable, Sendable, Hashable {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }

            public static let cname = ItemType(rawValue: 1)
            public static let name = ItemType(rawValue: 2)
            public static let email = ItemType(rawValue: 3)
            public static let phone = ItemType(rawValue: 4)
            public static let location = ItemType(rawValue: 5)
            public static let tool = ItemType(rawValue: 6)
            public static let note = ItemType(rawValue: 7)
            public static let priv = ItemType(rawValue: 8)
        }
    }

    /// Goodbye (PT 203): the sources leaving, and an optional reason.
    public struct Goodbye: Sendable, Hashable {
        public var ssrcs: [UInt32]
        /// At most 255 UTF-8 octets are serialized.
        public var reason: String?

        public init(ssrcs: [UInt32], reason: String? = nil) {
            self.ssrcs = ssrcs
            self.reason = reason
        }
    }

    /// A packet of a type not interpreted here: its header's type and 5-bit count field, and
    /// the body after the 4-byte header with any padding removed.
    public struct Raw: Sendable, Hashable {
        public var packetType: UInt8
        /// The 5-bit count/subtype field of the header (masked to 5 bits when serialized).
        public var count: UInt8
        public var body: [UInt8]

        public init(packetType: UInt8, count: UInt8, body: [UInt8]) {
            self.packetType = packetType
            self.count = count
            self.body = body
        }
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String

        init(_ description: String) { self.description = description }
    }

    /// The packets of a compound RTCP datagram, in order. Every packet must be version 2 and
    /// its length field must lie within the datagram, and the packets must fill the datagram
    /// exactly. Padding is accepted on any packet (RFC 3550 puts it only on the last) since
    /// each length field still delimits it. A first packet other than SR/RR is accepted too
    /// (reduced-size RTCP, RFC 5506).
    public static func parse(compound bytes: [UInt8]) throws(Invalid) -> [RTCPPacket] {
        guard !bytes.isEmpty else { throw Invalid("empty RTCP datagram") }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            let number = packets.count + 1
            guard remaining >= 4 else {
                throw Invalid("RTCP datagram has \(remaining) bytes after packet \(packets.count), short of a header")
            }
            let length = 4 * (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]) + 1)
            guard bytes[offset] >> 6 == 2 else {
                throw Invalid("RTCP packet \(number) has version \(bytes[offset] >> 6), expected 2")
            }
            guard length <= remaining else {
                throw Invalid(
                    "RTCP packet \(number) length field says \(length) bytes, but only \(remaining) remain")
            }
            do {
                packets.append(try RTCPPacket(parsing: Array(bytes[offset..<offset + length])))
            } catch {
                throw Invalid("RTCP packet \(number): \(error.description)")
            }
            offset += length
        }
        return packets
    }

    /// The packets concatenated into one compound datagram.
    public static func compound(_ packets: [RTCPPacket]) -> [UInt8] {
        packets.flatMap(\.bytes)
    }

    /// Exactly one RTCP packet: its length field must account for every byte given.
    public init(parsing bytes: [UInt8]) throws(Invalid) {
        guard bytes.count >= 4 else {
            throw Invalid("RTCP packet of \(bytes.count) bytes is shorter than its 4-byte header")
        }
        guard bytes[0] >> 6 == 2 else { throw Invalid("RTCP version \(bytes[0] >> 6), expected 2") }
        let length = 4 * (Int(bytes[2]) << 8 | Int(bytes[3]) + 1)
        guard length == bytes.count else {
            throw Invalid("RTCP length field says \(length) bytes, but the packet has \(bytes.count)")
        }
        let count = Int(bytes[0] & 0x1F)
        let type = bytes[1]
        var end = bytes.count
        if bytes[0] & 0x20 != 0 {
            let padding = Int(bytes[end - 1])
            guard padding >= 1, padding <= end - 4 else {
                throw Invalid("RTCP padding of \(padding) bytes is invalid in a \(end)-byte packet")
            }
            end -= padding
        }
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        func reportBlocks(from start: Int, kind: String) throws(Invalid) -> [ReportBlock] {
            guard start + ReportBlock.size * count <= end else {
                throw Invalid("\(kind) with \(count) report blocks is truncated at \(end) bytes")
            }
            return (0..<count).map { index in
                let at = start + ReportBlock.size * index
                // The cumulative count is 24-bit two's complement: shift it to the top, then back.
                let lost = Int32(bitPattern: word(at + 4) << 8) >> 8
                return ReportBlock(
                    ssrc: word(at), fractionLost: bytes[at + 4], cumulativeLost: lost,
                    extendedHighestSequence: word(at + 8), jitter: word(at + 12), lastSR: word(at + 16),
                    delaySinceLastSR: word(at + 20))
            }
        }

        switch type {
        case PacketType.senderReport:
            guard end >= 28 else { throw Invalid("SR of \(end) bytes is shorter than its 28-byte sender info") }
            let blocks = try reportBlocks(from: 28, kind: "SR")
            self = .senderReport(
                SenderReport(
                    ssrc: word(4), ntp: NTPTimestamp(seconds: word(8), fraction: word(12)), rtpTimestamp: word(16),
                    packetCount: word(20), octetCount: word(24), reportBlocks: blocks,
                    profileExtension: Array(bytes[(28 + ReportBlock.size * count)..<end])))
        case PacketType.receiverReport:
            guard end >= 8 else { throw Invalid("RR of \(end) bytes has no SSRC") }
            let blocks = try reportBlocks(from: 8, kind: "RR")
            self = .receiverReport(
                ReceiverReport(
                    ssrc: word(4), reportBlocks: blocks,
                    profileExtension: Array(bytes[(8 + ReportBlock.size * count)..<end])))
        case PacketType.sourceDescription:
            var chunks: [SourceDescription.Chunk] = []
            var offset = 4
            for index in 0..<count {
                guard offset + 4 <= end else { throw Invalid("SDES chunk \(index + 1) of \(count) is missing") }
                var chunk = SourceDescription.Chunk(ssrc: word(offset), items: [])
                offset += 4
                while true {
                    guard offset < end else { throw Invalid("SDES chunk \(index + 1) has no end of its items") }
                    let itemType = bytes[offset]
                    if itemType == 0 {
                        // The null item ends the list; null octets pad it to a 32-bit boundary.
                        offset = (offset + 4) & ~3
                        break
                    }
                    guard offset + 2 <= end, offset + 2 + Int(bytes[offset + 1]) <= end else {
                        throw Invalid("SDES item of type \(itemType) in chunk \(index + 1) is truncated")
                    }
                    let valueEnd = offset + 2 + Int(bytes[offset + 1])
                    chunk.items.append(
                        .init(type: .init(rawValue: itemType), value: Array(bytes[(offset + 2)..<valueEnd])))
                    offset = valueEnd
                }
                chunks.append(chunk)
            }
            self = .sourceDescription(SourceDescription(chunks: chunks))
        case PacketType.goodbye:
            let reasonAt = 4 + 4 * count
            guard reasonAt <= end else { throw Invalid("BYE with \(count) sources is truncated at \(end) bytes") }
            var goodbye = Goodbye(ssrcs: (0..<count).map { word(4 + 4 * $0) })
            if reasonAt < end {
                let reasonEnd = reasonAt + 1 + Int(bytes[reasonAt])
                guard reasonEnd <= end else { throw Invalid("BYE reason of \(bytes[reasonAt]) bytes is truncated") }
                goodbye.reason = String(decoding: bytes[(reasonAt + 1)..<reasonEnd], as: UTF8.self)
            }
            self = .goodbye(goodbye)
        default:
            self = .unknown(Raw(packetType: type, count: UInt8(count), body: Array(bytes[4..<end])))
        }
    }

    /// The packet as bytes. Counts above 31 (report blocks, chunks, sources) are cut to the 31 the
    /// header can state, and a body that does not end on a 32-bit boundary is padded with RTCP
    /// padding (P bit set).
    public var bytes: [UInt8] {
        var body: [UInt8] = []
        let type: UInt8
        let count: Int
        func append(_ value: UInt32) {
            body.append(UInt8(value >> 24))
            body.append(UInt8(value >> 16 & 0xFF))
            body.append(UInt8(value >> 8 & 0xFF))
            body.append(UInt8(value & 0xFF))
        }
        func append(_ blocks: ArraySlice<ReportBlock>) {
            for block in blocks {
                append(block.ssrc)
                let lost = UInt32(bitPattern: min(max(block.cumulativeLost, -0x80_0000), 0x7F_FFFF)) & 0xFF_FFFF
                append(UInt32(block.fractionLost) << 24 | lost)
                append(block.extendedHighestSequence)
                append(block.jitter)
                append(block.lastSR)
                append(block.delaySinceLastSR)
            }
        }
        switch self {
        case .senderReport(let report):
            type = PacketType.senderReport
            count = min(report.reportBlocks.count, 31)
            append(report.ssrc)
            append(report.ntp.seconds)
            append(report.ntp.fraction)
            append(report.rtpTimestamp)
            append(report.packetCount)
            append(report.octetCount)
            append(report.reportBlocks.prefix(31))
            body.append(contentsOf: report.profileExtension)
        case .receiverReport(let report):
            type = PacketType.receiverReport
            count = min(report.reportBlocks.count, 31)
            append(report.ssrc)
            append(report.reportBlocks.prefix(31))
            body.append(contentsOf: report.profileExtension)
        case .sourceDescription(let description):
            type = PacketType.sourceDescription
            count = min(description.chunks.count, 31)
            for chunk in description.chunks.prefix(31) {
                append(chunk.ssrc)
                for item in chunk.items where item.type.rawValue != 0 {
                    body.append(item.type.rawValue)
                    body.append(UInt8(min(item.value.count, 255)))
                    body.append(contentsOf: item.value.prefix(255))
                }
                // The null item, then nulls to the next 32-bit boundary.
                body.append(0)
                while body.count % 4 != 0 { body.append(0) }
            }
        case .goodbye(let goodbye):
            type = PacketType.goodbye
            count = min(goodbye.ssrcs.count, 31)
            for ssrc in goodbye.ssrcs.prefix(31) { append(ssrc) }
            if let reason = goodbye.reason {
                let text = Array(reason.utf8.prefix(255))
                body.append(UInt8(text.count))
                body.append(contentsOf: text)
                while body.count % 4 != 0 { body.append(0) }
            }
        case .unknown(let raw):
            type = raw.packetType
            count = Int(raw.count & 0x1F)
            body = raw.body
        }
        // The length field counts at most 65536 words, header included.
        if body.count > 4 * 0xFFFF { body.removeLast(body.count - 4 * 0xFFFF) }
        let padding = (4 - body.count % 4) % 4
        if padding > 0 {
            body.append(contentsOf: [UInt8](repeating: 0, count: padding - 1))
            body.append(UInt8(padding))
        }
        let words = body.count / 4
        return [0x80 | (padding > 0 ? 0x20 : 0) | UInt8(count), type, UInt8(words >> 8), UInt8(words & 0xFF)] + body
    }
}
