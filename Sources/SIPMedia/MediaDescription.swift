/// One `m=` section: a media stream with its port, protocol, formats and attributes.
public struct MediaDescription: Sendable, Equatable {
    public var media: String
    /// 0 rejects or disables the stream (RFC 3264 §6).
    public var port: Int
    public var portCount: Int?
    public var proto: String
    /// Payload type numbers as written (`0 8 101`).
    public var formats: [String]
    public var connection: SessionDescription.ConnectionData?
    public var otherLines: [SessionDescription.Line] = []
    public var attributes: [SessionDescription.Attribute] = []

    public init(
        media: String = "audio", port: Int, proto: String = "RTP/AVP", formats: [String],
        connection: SessionDescription.ConnectionData? = nil, attributes: [SessionDescription.Attribute] = []
    ) {
        self.media = media
        self.port = port
        self.proto = proto
        self.formats = formats
        self.connection = connection
        self.attributes = attributes
    }

    /// `a=rtpmap`: a payload type's encoding, clock rate and channels.
    public struct RTPMap: Sendable, Equatable {
        public var payloadType: Int
        public var encoding: String
        public var clockRate: Int
        public var channels: Int?

        public init(payloadType: Int, encoding: String, clockRate: Int, channels: Int? = nil) {
            self.payloadType = payloadType
            self.encoding = encoding
            self.clockRate = clockRate
            self.channels = channels
        }

        public var attributeValue: String {
            "\(payloadType) \(encoding)/\(clockRate)" + (channels.map { "/\($0)" } ?? "")
        }
    }

    /// The RFC 3551 static payload types a description may use without an rtpmap.
    static let staticTypes: [Int: RTPMap] = [
        0: RTPMap(payloadType: 0, encoding: "PCMU", clockRate: 8000),
        3: RTPMap(payloadType: 3, encoding: "GSM", clockRate: 8000),
        8: RTPMap(payloadType: 8, encoding: "PCMA", clockRate: 8000),
        9: RTPMap(payloadType: 9, encoding: "G722", clockRate: 8000),
        18: RTPMap(payloadType: 18, encoding: "G729", clockRate: 8000),
    ]

    /// Each format's mapping: its rtpmap, or the static assignment; unknown dynamic ones are left out.
    public var rtpMaps: [RTPMap] {
        formats.compactMap { format in
            guard let type = Int(format) else { return nil }
            if let explicit = attributes.first(where: {
                $0.name == "rtpmap" && $0.value?.split(separator: " ").first == Substring(format)
            }),
                let map = Self.parseRTPMap(explicit.value ?? "")
            {
                return map
            }
            return Self.staticTypes[type]
        }
    }

    static func parseRTPMap(_ value: String) -> RTPMap? {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let type = Int(parts[0]) else { return nil }
        let encoding = parts[1].split(separator: "/")
        guard encoding.count >= 2, let clock = Int(encoding[1]) else { return nil }
        return RTPMap(
            payloadType: type, encoding: String(encoding[0]), clockRate: clock,
            channels: encoding.count > 2 ? Int(encoding[2]) : nil)
    }

    /// `a=fmtp` parameters of a payload type.
    public func fmtp(_ payloadType: Int) -> String? {
        attributes.first {
            $0.name == "fmtp" && $0.value?.split(separator: " ").first == Substring(String(payloadType))
        }
        .flatMap { $0.value?.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) }
    }

    public var ptime: Int? { attributes.first { $0.name == "ptime" }?.value.flatMap { Int($0) } }

    public var direction: Direction? { Direction.find(in: attributes) }

    /// Replaces (or adds) the direction attribute.
    public mutating func setDirection(_ direction: Direction) {
        attributes.removeAll { $0.value == nil && Direction(rawValue: $0.name) != nil }
        attributes.append(SessionDescription.Attribute(direction.rawValue))
    }
}
