import SIPMessage

/// MESSAGE (RFC 3428) and OPTIONS sent by the user.
extension UserAgent {
    public struct RequestFailure: Error, Sendable, CustomStringConvertible {
        public var cause: String
        public var statusCode: Int?
        public var description: String { statusCode.map { "\(cause) (\($0))" } ?? cause }
    }

    /// The dialling domain: the account URI's host and port.
    var defaultDomain: String { configuration.uri.hostPort }

    /// Sends a MESSAGE; returns the final response, or throws with JsSIP's cause.
    @discardableResult
    public func sendMessage(
        to target: String, body: String, contentType: String = "text/plain"
    ) async throws(RequestFailure) -> SIPResponse {
        let uri: SIPURI
        do {
            uri = try DialTarget.normalize(target, defaultDomain: defaultDomain)
        } catch {
            throw RequestFailure(cause: "Invalid Target: \(error.reason)", statusCode: nil)
        }
        let parts = RequestFactory.Parts(
            method: .message, uri: uri, to: NameAddress(uri: uri), fromTag: RandomTokens.tag(),
            callID: RandomTokens.callID(),
            cseq: UInt32.random(in: 0...9999), contentType: contentType, body: Array(body.utf8))
        let response = try finalResponse(await send(parts))
        emit(
            .newMessage(
                originator: .local, from: configuration.uri.description, to: uri.description, contentType: contentType,
                body: body,
                statusCode: response.statusCode))
        return response
    }

    /// Sends an OPTIONS (to the registrar when no target is given).
    @discardableResult
    public func sendOptions(to target: String?) async throws(RequestFailure) -> SIPResponse {
        let uri: SIPURI
        if let target {
            do {
                uri = try DialTarget.normalize(target, defaultDomain: defaultDomain)
            } catch {
                throw RequestFailure(cause: "Invalid Target: \(error.reason)", statusCode: nil)
            }
        } else {
            uri = configuration.registrarServer
        }
        let parts = RequestFactory.Parts(
            method: .options, uri: uri, to: NameAddress(uri: uri), fromTag: RandomTokens.tag(),
            callID: RandomTokens.callID(),
            cseq: UInt32.random(in: 0...9999))
        return try finalResponse(await send(parts))
    }

    private func finalResponse(_ outcome: ClientOutcome) throws(RequestFailure) -> SIPResponse {
        switch outcome {
        case .response(let response):
            guard response.isSuccess else {
                throw RequestFailure(
                    cause: FailureCause.cause(for: response.statusCode), statusCode: response.statusCode)
            }
            return response
        case .authenticationFailed(let response):
            throw RequestFailure(cause: FailureCause.cause(for: 401), statusCode: response.statusCode)
        case .timeout: throw RequestFailure(cause: FailureCause.requestTimeout, statusCode: 408)
        case .transportError: throw RequestFailure(cause: FailureCause.connectionError, statusCode: nil)
        }
    }
}
