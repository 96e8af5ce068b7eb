/// A SIP request: method, Request-URI, headers and body, as a value.
public struct SIPRequest: Sendable, Equatable, SIPMessageParts {
    public var method: SIPMethod
    public var uri: URI
    /// `SIP/2.0` for every message sipterm writes; other versions are kept so a UAS can answer 505.
    public var version: String
    public var headers: Headers
    public var body: [UInt8]

    public init(method: SIPMethod, uri: URI, version: String = "SIP/2.0", headers: Headers = [], body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.version = version
        self.headers = headers
        self.body = body
    }
}

/// A SIP response: status code, reason phrase, headers and body, as a value.
public struct SIPResponse: Sendable, Equatable, SIPMessageParts {
    public var statusCode: Int
    public var reasonPhrase: String
    public var version: String
    public var headers: Headers
    public var body: [UInt8]

    public init(
        statusCode: Int, reasonPhrase: String, version: String = "SIP/2.0", headers: Headers = [], body: [UInt8] = []
    ) {
        self.statusCode = statusCode
        self.reasonPhrase = reasonPhrase
        self.version = version
        self.headers = headers
        self.body = body
    }

    public var isProvisional: Bool { statusCode < 200 }
    public var isSuccess: Bool { (200..<300).contains(statusCode) }
}

/// Either kind of message, as the parser returns it.
public enum SIPMessage: Sendable, Equatable {
    case request(SIPRequest)
    case response(SIPResponse)

    public var headers: Headers {
        switch self {
        case .request(let request): return request.headers
        case .response(let response): return response.headers
        }
    }

    public var body: [UInt8] {
        switch self {
        case .request(let request): return request.body
        case .response(let response): return response.body
        }
    }

    public var version: String {
        switch self {
        case .request(let request): return request.version
        case .response(let response): return response.version
        }
    }

    public var request: SIPRequest? {
        if case .request(let request) = self { return request }
        return nil
    }

    public var response: SIPResponse? {
        if case .response(let response) = self { return response }
        return nil
    }
}

/// What requests and responses share: headers, a body, and typed access to the common headers.
public protocol SIPMessageParts: Sendable {
    var version: String { get }
    var headers: Headers { get set }
    var body: [UInt8] { get set }
}

extension SIPMessageParts {
    public var via: [Via] { get throws { try headers.values(.via) } }
    /// The first Via value alone: the one a UA acts on (its transaction's branch, the received
    /// and rport a server wrote), readable whatever the Vias below it hold.
    public var topVia: Via? { get throws { try headers.value(.via) } }
    public var from: NameAddress? { get throws { try headers.value(.from) } }
    public var to: NameAddress? { get throws { try headers.value(.to) } }
    public var callID: String? { get throws { try headers.value(.callID, as: CallID.self)?.value } }
    public var cseq: CSeq? { get throws { try headers.value(.cseq) } }
    public var contacts: [ContactValue] { get throws { try headers.values(.contact) } }
    public var maxForwards: UInt32? { get throws { try headers.value(.maxForwards, as: DecimalValue.self)?.value } }
    public var expires: UInt32? { get throws { try headers.value(.expires, as: DeltaSeconds.self)?.seconds } }
    public var contentType: MediaType? { get throws { try headers.value(.contentType) } }
    public var routes: [NameAddress] { get throws { try headers.values(.route) } }
    public var recordRoutes: [NameAddress] { get throws { try headers.values(.recordRoute) } }

    /// The body as UTF-8 text (invalid bytes replaced), for text bodies such as SDP or MESSAGE.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Sets the body and keeps Content-Length (and Content-Type, when given) in step with it.
    public mutating func setBody(_ bytes: [UInt8], contentType: MediaType? = nil) {
        body = bytes
        if let contentType { headers.set(.init(.contentType), contentType.description) }
        headers.set(.init(.contentLength), String(bytes.count))
    }

    public mutating func setBody(_ text: String, contentType: MediaType? = nil) {
        setBody(Array(text.utf8), contentType: contentType)
    }
}
