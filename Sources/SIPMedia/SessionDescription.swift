/// An SDP session description (RFC 4566) as a value: what the media layer offers and answers.
/// Lines sipterm does not interpret are kept in order, so a description survives a round trip.
public struct SessionDescription: Sendable, Equatable {
    public var version: Int = 0
    public var origin: Origin
    public var sessionName: String
    public var connection: ConnectionData?
    /// Session-level lines other than v, o, s, c, t, a and m (i, u, e, p, b, z, k, r), in order.
    public var otherLines: [Line] = []
    public var timing: String = "0 0"
    public var attributes: [Attribute] = []
    public var media: [MediaDescription] = []

    public init(
        origin: Origin, sessionName: String = "-", connection: ConnectionData? = nil, media: [MediaDescription] = []
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.media = media
    }

    /// `o=`: who made the description and its version, which grows with every re-offer.
    public struct Origin: Sendable, Equatable {
        public var username: String
        public var sessionID: String
        public var sessionVersion: UInt64
        public var address: ConnectionData

        public init(username: String = "-", sessionID: String, sessionVersion: UInt64, address: ConnectionData) {
            self.username = username
            self.sessionID = sessionID
            self.sessionVersion = sessionVersion
            self.address = address
        }
    }

    /// `c=` (and the address part of `o=`): network type, address type and address.
    public struct ConnectionData: Sendable, Equatable {
        public var addressType: String
        public var address: String

        public init(addressType: String = "IP4", address: String) {
            self.addressType = addressType
            self.address = address
        }

        public var description: String { "IN \(addressType) \(address)" }
    }

    /// One line kept as written: its type letter and value.
    public struct Line: Sendable, Equatable {
        public var type: Character
        public var value: String
    }

    /// `a=name[:value]`.
    public struct Attribute: Sendable, Equatable {
        public var name: String
        public var value: String?

        public init(_ name: String, _ value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The session's direction attribute, or nil when it has none (sendrecv by default).
    public var direction: Direction? { Direction.find(in: attributes) }
}

/// The four directions of RFC 3264 §6.1, which hold and resume are made of.
public enum Direction: String, Sendable, CaseIterable {
    case sendrecv, sendonly, recvonly, inactive

    static func find(in attributes: [SessionDescription.Attribute]) -> Direction? {
        attributes.lazy.compactMap { $0.value == nil ? Direction(rawValue: $0.name) : nil }.first
    }

    /// What the other side answers to this direction when it is willing to do what is asked.
    public var answer: Direction {
        switch self {
        case .sendrecv: return .sendrecv
        case .sendonly: return .recvonly
        case .recvonly: return .sendonly
        case .inactive: return .inactive
        }
    }

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }
}
