import NIOCore

/// One ICE candidate (RFC 8445 §5.1, SDP form RFC 8839 §5.1): where a peer may be reached.
public struct ICECandidate: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case host, srflx, prflx, relay

        /// RFC 8445 §5.1.2.2's recommended type preferences.
        var typePreference: UInt32 {
            switch self {
            case .host: return 126
            case .prflx: return 110
            case .srflx: return 100
            case .relay: return 0
            }
        }
    }

    public var foundation: String
    public var component: Int
    /// Only UDP candidates are used; TCP ones (RFC 6544) are parsed and left out of the checks.
    public var transport: String
    public var priority: UInt32
    public var address: String
    public var port: Int
    public var kind: Kind
    public var relatedAddress: String?
    public var relatedPort: Int?

    public init(
        foundation: String, component: Int = 1, transport: String = "udp", priority: UInt32, address: String,
        port: Int, kind: Kind, relatedAddress: String? = nil, relatedPort: Int? = nil
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.kind = kind
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
    }

    /// RFC 8445 §5.1.2.1: type preference, then local preference (IPv6 above IPv4 on an
    /// otherwise equal interface), then the component.
    public static func priority(kind: Kind, localPreference: UInt32 = 65535, component: Int = 1) -> UInt32 {
        kind.typePreference << 24 | (localPreference & 0xFFFF) << 8 | UInt32(256 - min(max(component, 1), 256))
    }

    /// Parses the value of an `a=candidate` attribute (with or without the `candidate:` prefix
    /// browsers put in trickle messages); nil when it is not one. Unknown extensions
    /// (`generation`, `network-cost`, `ufrag`) are tolerated.
    public init?(sdpValue: String) {
        var text = Substring(sdpValue)
        if text.hasPrefix("candidate:") { text = text.dropFirst("candidate:".count) }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 8, let component = Int(fields[1]), let priority = UInt32(fields[3]),
            let port = Int(fields[5]), (0...65535).contains(port), fields[6] == "typ",
            let kind = Kind(rawValue: fields[7].lowercased())
        else { return nil }
        self.init(
            foundation: fields[0], component: component, transport: fields[2].lowercased(), priority: priority,
            address: fields[4], port: port, kind: kind)
        var index = 8
        while index + 1 < fields.count {
            switch fields[index] {
            case "raddr": relatedAddress = fields[index + 1]
            case "rport": relatedPort = Int(fields[index + 1])
            default: break
            }
            index += 2
        }
    }

    public var sdpValue: String {
        var text = "\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(kind.rawValue)"
        if let relatedAddress, let relatedPort { text += " raddr \(relatedAddress) rport \(relatedPort)" }
        return text
    }

    /// The socket address, for a UDP candidate with a literal IP (mDNS `.local` names and TCP
    /// candidates give nil and are not checked).
    var socketAddress: SocketAddress? {
        guard transport == "udp" else { return nil }
        return try? SocketAddress(ipAddress: address, port: port)
    }
}

/// The short-term credentials of one ICE agent (RFC 8445 §5.3): `a=ice-ufrag`, `a=ice-pwd`.
public struct ICECredentials: Sendable, Equatable {
    public var ufrag: String
    public var password: String

    public init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// Fresh random credentials: 8 and 24 ice-chars (24 bits and 128 bits of randomness are the minimums).
    public static func random() -> ICECredentials {
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        func token(_ count: Int) -> String { String((0..<count).map { _ in chars[Int.random(in: 0..<chars.count)] }) }
        return ICECredentials(ufrag: token(8), password: token(24))
    }
}
