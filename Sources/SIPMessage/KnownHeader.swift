/// The one table of headers sipterm knows: canonical name, compact form, whether the value is a
/// comma-separated list, whether it may appear only once, and the type that decodes it. Adding a
/// header means adding a case here; the parser, serializer, validator and `inspect` all read it.
public enum KnownHeader: String, Sendable, CaseIterable {
    case accept = "Accept"
    case acceptContact = "Accept-Contact"
    case acceptEncoding = "Accept-Encoding"
    case acceptLanguage = "Accept-Language"
    case alertInfo = "Alert-Info"
    case allow = "Allow"
    case allowEvents = "Allow-Events"
    case authenticationInfo = "Authentication-Info"
    case authorization = "Authorization"
    case callID = "Call-ID"
    case callInfo = "Call-Info"
    case contact = "Contact"
    case contentDisposition = "Content-Disposition"
    case contentEncoding = "Content-Encoding"
    case contentLanguage = "Content-Language"
    case contentLength = "Content-Length"
    case contentType = "Content-Type"
    case cseq = "CSeq"
    case date = "Date"
    case errorInfo = "Error-Info"
    case event = "Event"
    case expires = "Expires"
    case from = "From"
    case identity = "Identity"
    case identityInfo = "Identity-Info"
    case inReplyTo = "In-Reply-To"
    case maxForwards = "Max-Forwards"
    case mimeVersion = "MIME-Version"
    case minExpires = "Min-Expires"
    case minSE = "Min-SE"
    case organization = "Organization"
    case pAssertedIdentity = "P-Asserted-Identity"
    case pPreferredIdentity = "P-Preferred-Identity"
    case path = "Path"
    case priority = "Priority"
    case privacy = "Privacy"
    case proxyAuthenticate = "Proxy-Authenticate"
    case proxyAuthorization = "Proxy-Authorization"
    case proxyRequire = "Proxy-Require"
    case rack = "RAck"
    case reason = "Reason"
    case recordRoute = "Record-Route"
    case referTo = "Refer-To"
    case referredBy = "Referred-By"
    case rejectContact = "Reject-Contact"
    case replaces = "Replaces"
    case replyTo = "Reply-To"
    case requestDisposition = "Request-Disposition"
    case require = "Require"
    case retryAfter = "Retry-After"
    case route = "Route"
    case rseq = "RSeq"
    case server = "Server"
    case serviceRoute = "Service-Route"
    case sessionExpires = "Session-Expires"
    case subject = "Subject"
    case subscriptionState = "Subscription-State"
    case supported = "Supported"
    case timestamp = "Timestamp"
    case to = "To"
    case unsupported = "Unsupported"
    case userAgent = "User-Agent"
    case via = "Via"
    case warning = "Warning"
    case wwwAuthenticate = "WWW-Authenticate"

    /// The canonical spelling, used when writing.
    public var name: String { rawValue }

    /// The compact form (RFC 3261 §7.3.3 and the extensions that define one).
    public var compactForm: Character? {
        switch self {
        case .acceptContact: return "a"
        case .referredBy: return "b"
        case .contentType: return "c"
        case .requestDisposition: return "d"
        case .contentEncoding: return "e"
        case .from: return "f"
        case .callID: return "i"
        case .rejectContact: return "j"
        case .supported: return "k"
        case .contentLength: return "l"
        case .contact: return "m"
        case .identityInfo: return "n"
        case .event: return "o"
        case .referTo: return "r"
        case .subject: return "s"
        case .to: return "t"
        case .allowEvents: return "u"
        case .via: return "v"
        case .sessionExpires: return "x"
        case .identity: return "y"
        default: return nil
        }
    }

    /// True when one header field may carry several comma-separated values.
    public var isList: Bool {
        switch self {
        case .accept, .acceptContact, .acceptEncoding, .acceptLanguage, .alertInfo, .allow, .allowEvents,
            .callInfo, .contact, .contentEncoding, .contentLanguage, .errorInfo, .inReplyTo, .pAssertedIdentity,
            .path, .proxyRequire, .reason, .recordRoute, .rejectContact, .requestDisposition, .require, .route,
            .serviceRoute, .supported, .unsupported, .via, .warning:
            return true
        default:
            return false
        }
    }

    /// True when a message may carry at most one value (a second one makes a request bad).
    public var isSingleton: Bool {
        switch self {
        case .callID, .contentDisposition, .contentLength, .contentType, .cseq, .date, .event, .expires, .from,
            .maxForwards, .mimeVersion, .minExpires, .minSE, .priority, .rack, .referTo, .referredBy, .replaces,
            .replyTo, .retryAfter, .rseq, .sessionExpires, .subscriptionState, .timestamp, .to:
            return true
        default:
            return false
        }
    }

    /// False for headers no part of sipterm acts on (it shows or echoes them at most): a value
    /// there that does not decode must not cost the whole message, as it would with a strict
    /// parser. Everything a transaction, dialog, registration or call reads stays strict.
    public var isActedOn: Bool {
        switch self {
        case .accept, .acceptContact, .acceptEncoding, .acceptLanguage, .alertInfo, .allow, .allowEvents, .callInfo,
            .contentLanguage, .date, .errorInfo, .identity, .identityInfo, .inReplyTo, .mimeVersion, .organization,
            .pAssertedIdentity, .pPreferredIdentity, .path, .priority, .privacy, .reason, .referredBy,
            .rejectContact, .replyTo, .requestDisposition, .retryAfter, .server, .serviceRoute, .subject,
            .timestamp, .unsupported, .userAgent, .warning:
            return false
        default:
            return true
        }
    }

    /// The type that decodes one value of this header, when sipterm reads it.
    public var valueType: (any SIPHeaderValue.Type)? {
        switch self {
        case .via: return Via.self
        case .from, .to, .referTo, .referredBy, .route, .recordRoute, .path, .serviceRoute, .replyTo,
            .pAssertedIdentity, .pPreferredIdentity:
            return NameAddress.self
        case .contact: return ContactValue.self
        case .callID: return CallID.self
        case .cseq: return CSeq.self
        case .contentLength, .maxForwards, .rseq: return DecimalValue.self
        case .expires, .minExpires: return DeltaSeconds.self
        case .sessionExpires, .minSE: return SessionInterval.self
        case .contentType, .accept: return MediaType.self
        case .wwwAuthenticate, .proxyAuthenticate, .authorization, .proxyAuthorization: return AuthField.self
        case .supported, .require, .proxyRequire, .unsupported, .allow, .allowEvents: return OptionTag.self
        case .event: return EventValue.self
        case .subscriptionState: return SubscriptionState.self
        case .replaces: return Replaces.self
        case .reason: return ReasonValue.self
        case .rack: return RAck.self
        case .userAgent, .server, .subject, .organization: return TextValue.self
        case .date: return SIPDate.self
        default: return nil
        }
    }

    /// Every name and compact form as lower-case bytes with the canonical spelling beside it,
    /// grouped by length, so a name read off the wire is matched with a few byte comparisons and
    /// no string or hash.
    private static let byLength: [[(lower: [UInt8], canonical: [UInt8], header: KnownHeader)]] = {
        var table = [[(lower: [UInt8], canonical: [UInt8], header: KnownHeader)]](repeating: [], count: 24)
        for header in allCases {
            var names = [header.rawValue]
            if let compact = header.compactForm { names.append(String(compact)) }
            for name in names {
                let canonical = Array(name.utf8)
                if canonical.count >= table.count {
                    table += Array(repeating: [], count: canonical.count - table.count + 1)
                }
                table[canonical.count].append((Array(name.lowercased().utf8), canonical, header))
            }
        }
        return table
    }()

    /// Finds a header by its name as written on the wire, in any case, long or compact; `exact`
    /// tells whether it is written in its canonical long form.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>) -> (header: KnownHeader, exact: Bool)? {
        let table = byLength
        guard bytes.count < table.count else { return nil }
        candidates: for candidate in table[bytes.count] {
            var exact = true
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte != candidate.canonical[index] {
                    exact = false
                    if byte | 0x20 != candidate.lower[index] && byte != candidate.lower[index] { continue candidates }
                }
            }
            return (candidate.header, exact && candidate.canonical.count == candidate.header.rawValue.utf8.count)
        }
        return nil
    }

    /// Finds a header by its name as written on the wire, in any case, long or compact.
    public init?(wireName: String) {
        var name = wireName
        guard let match = name.withUTF8({ KnownHeader.match($0) }) else { return nil }
        self = match.header
    }
}

/// A header's name. Known headers compare by identity whatever their spelling (`v`, `VIA`);
/// unknown ones compare without regard to case and keep the spelling they were read with.
public struct HeaderName: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// A known header is held as its case alone, so copying a header field of one (the parser
    /// and every lookup do) touches no reference count.
    private enum Storage: Sendable {
        case known(KnownHeader)
        case other(String)
    }
    private let storage: Storage

    public var known: KnownHeader? {
        if case .known(let header) = storage { return header }
        return nil
    }

    /// The canonical name of a known header, or the name as given.
    public var text: String {
        switch storage {
        case .known(let header): header.name
        case .other(let text): text
        }
    }

    public init(_ text: String) {
        storage = KnownHeader(wireName: text).map(Storage.known) ?? .other(text)
    }

    public init(_ known: KnownHeader) { storage = .known(known) }

    /// A name already known not to be one of `KnownHeader`'s.
    init(unknown text: String) { storage = .other(text) }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { text }

    public static func == (lhs: HeaderName, rhs: HeaderName) -> Bool {
        if let left = lhs.known, let right = rhs.known { return left == right }
        if lhs.known != nil || rhs.known != nil { return false }
        return lhs.text.equalsIgnoringASCIICase(rhs.text)
    }

    public func hash(into hasher: inout Hasher) {
        if let known { hasher.combine(known) } else { hasher.combine(text.asciiLowercased) }
    }
}
