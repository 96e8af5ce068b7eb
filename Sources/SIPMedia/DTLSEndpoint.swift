import COpenSSL

/// A sans-IO DTLS 1.2 endpoint for DTLS-SRTP key agreement (RFC 5763, RFC 5764).
///
/// It owns no socket and no timer: the caller feeds it received datagrams and sends the datagrams
/// it returns, and arms a timer from `nextTimeout` that calls `handleTimeout()`. That keeps it
/// usable on a NIO event loop and testable without a network.
///
/// Not `Sendable`: an OpenSSL `SSL` object must be used from one thread at a time, so the endpoint
/// stays confined to its caller's thread (the channel's event loop).
///
/// Certificates are self-signed; the peer is authenticated only by comparing its certificate with
/// the fingerprint from its SDP once the handshake finishes.
public final class DTLSEndpoint {
    public let role: DTLSRole
    /// The fingerprint the peer's SDP announced.
    public let peerFingerprint: DTLSFingerprint
    /// SRTP profiles we offer (client) or accept (server), most preferred first.
    public let profiles: [SRTPProfile]
    /// Largest datagram we emit. 1200 leaves room for IPv6, UDP and TURN headers on any path.
    public let mtu: Int

    public private(set) var state: DTLSState = .idle
    /// The keys, once `state` is `.connected`.
    public private(set) var keys: SRTPKeys?

    /// Held so our identity outlives the endpoint's use of it (OpenSSL also holds a reference).
    private let certificate: DTLSCertificate
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    private let callbackState: DTLSCallbackState

    /// Prepares an endpoint; nothing is sent until `start()`.
    /// - Parameters:
    ///   - role: client for `a=setup:active`, server for `a=setup:passive`.
    ///   - certificate: our identity; its fingerprint goes into our SDP.
    ///   - peerFingerprint: the `a=fingerprint` from the peer's SDP.
    ///   - profiles: SRTP profiles in order of preference. As server, OpenSSL picks our most
    ///     preferred profile that the client offered.
    ///   - mtu: largest datagram to emit.
    ///   - initialRetransmitTimeout: first retransmission timer, doubled on each expiry up to 60 s
    ///     (RFC 6347 §4.2.4.1 suggests 1 s).
    public init(
        role: DTLSRole, certificate: DTLSCertificate, peerFingerprint: DTLSFingerprint,
        profiles: [SRTPProfile] = SRTPProfile.dtlsPreference, mtu: Int = 1200,
        initialRetransmitTimeout: Duration = .seconds(1)
    ) throws {
        guard !profiles.isEmpty else { throw DTLSError("DTLS: no SRTP profile to offer") }
        guard (256...16_384).contains(mtu) else { throw DTLSError("DTLS: MTU \(mtu) out of range") }
        OpenSSLErrorQueue.clear()

        guard let method = DTLS_method(), let context = SSL_CTX_new(method) else {
            throw DTLSError.openSSL("DTLS: cannot create an SSL context")
        }
        // From here on, `context` must be freed on every error path.
        func failing(_ what: String) -> DTLSError {
            let error = DTLSError.openSSL(what)
            SSL_CTX_free(context)
            return error
        }
        // DTLS 1.2 only: what WebRTC and SIP stacks speak; DTLS 1.0 is deprecated (RFC 8996).
        guard shim_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) == 1,
            shim_SSL_CTX_set_max_proto_version(context, DTLS1_2_VERSION) == 1
        else { throw failing("DTLS: cannot restrict the protocol to DTLS 1.2") }
        guard SSL_CTX_use_certificate(context, certificate.x509) == 1,
            SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
            SSL_CTX_check_private_key(context) == 1
        else { throw failing("DTLS: cannot install the certificate") }
        // Ask for (server) and require a peer certificate; any chain, self-signed included, as
        // long as the leaf is the one the SDP fingerprint names (checked in the callback, so a
        // wrong certificate fails the handshake with bad_certificate before any keys exist).
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, store in
            guard let store, X509_STORE_CTX_get_error_depth(store) == 0 else { return 1 }
            guard let sslPointer = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
                let raw = shim_SSL_get_app_data(OpaquePointer(sslPointer)),
                let leaf = X509_STORE_CTX_get_current_cert(store)
            else { return 0 }
            guard Unmanaged<DTLSCallbackState>.fromOpaque(raw).takeUnretainedValue().accepts(peerCertificate: leaf)
            else {
                // Makes OpenSSL's alert bad_certificate (not unknown_ca, which is not the reason).
                X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
                return 0
            }
            return 1
        }
        let profileList = profiles.map(\.dtlsName).joined(separator: ":")
        // Note the inverted convention: 0 means success here.
        guard SSL_CTX_set_tlsext_use_srtp(context, profileList) == 0 else {
            throw failing("DTLS: cannot offer SRTP profiles \(profileList)")
        }

        guard let ssl = SSL_new(context) else { throw failing("DTLS: cannot create an SSL object") }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw failing("DTLS: cannot create memory BIOs")
        }
        // An empty read BIO means "no datagram yet", not end of stream.
        shim_BIO_set_mem_eof_return(readBIO, -1)
        shim_BIO_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)  // ssl now owns both BIOs.

        // Memory BIOs cannot discover the path MTU, so fix it; records are then split to fit.
        // No tickets: certificates are per run, so a session is never resumed and the ticket only
        // bloats the last flight. No renegotiation: it would change keys behind the SRTP layer.
        _ = SSL_set_options(ssl, shim_SSL_OP_NO_QUERY_MTU() | shim_SSL_OP_NO_TICKET() | shim_SSL_OP_NO_RENEGOTIATION())
        guard shim_SSL_set_mtu(ssl, mtu) > 0 else {
            SSL_free(ssl)
            throw failing("DTLS: cannot set the MTU")
        }

        let microseconds =
            initialRetransmitTimeout.components.seconds * 1_000_000
            + initialRetransmitTimeout.components.attoseconds / 1_000_000_000_000
        let callbackState = DTLSCallbackState(
            initialTimeoutMicroseconds: UInt32(clamping: max(microseconds, 1_000)), expectedFingerprint: peerFingerprint
        )
        _ = shim_SSL_set_app_data(ssl, Unmanaged.passUnretained(callbackState).toOpaque())
        DTLS_set_timer_cb(ssl) { ssl, previous in
            guard let raw = shim_SSL_get_app_data(ssl) else { return previous == 0 ? 1_000_000 : previous }
            let state = Unmanaged<DTLSCallbackState>.fromOpaque(raw).takeUnretainedValue()
            return state.nextTimeout(after: previous)
        }
        SSL_set_info_callback(ssl) { ssl, kind, value in
            guard kind & shim_SSL_CB_READ_ALERT() == shim_SSL_CB_READ_ALERT(),
                let raw = shim_SSL_get_app_data(ssl)
            else { return }
            Unmanaged<DTLSCallbackState>.fromOpaque(raw).takeUnretainedValue().receivedAlert = value
        }
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        OpenSSLErrorQueue.clear()

        self.role = role
        self.certificate = certificate
        self.peerFingerprint = peerFingerprint
        self.profiles = profiles
        self.mtu = mtu
        self.context = context
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.callbackState = callbackState
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Begins the handshake. A client returns its ClientHello; a server returns nothing and
    /// waits for one.
    public func start() -> DTLSOutput {
        guard state == .idle else { return DTLSOutput() }
        state = .handshaking
        guard role == .client else { return DTLSOutput() }
        return perform { advanceHandshake() }
    }

    /// Feeds one received datagram. Non-DTLS datagrams (see `DTLSPacketKind`) are ignored, and so
    /// is anything after the endpoint has failed or closed. Malformed DTLS is either dropped
    /// silently by OpenSSL or fails the handshake; it never traps.
    public func receive(_ datagram: [UInt8]) -> DTLSOutput {
        switch state {
        case .failed, .closed: return DTLSOutput()
        case .idle: state = .handshaking
        case .handshaking, .connected: break
        }
        // 13 bytes is the DTLS record header; anything shorter cannot be a record.
        guard DTLSPacketKind(datagram) == .dtls, datagram.count >= 13, datagram.count <= Int(Int32.max) else {
            return DTLSOutput()
        }
        return perform {
            _ = datagram.withUnsafeBytes { BIO_write(readBIO, $0.baseAddress, Int32($0.count)) }
            let event: DTLSEvent?
            if state == .handshaking {
                event = advanceHandshake()
            } else {
                event = readAfterHandshake()
            }
            // One datagram at a time: never let leftovers merge with the next one.
            _ = shim_BIO_reset(readBIO)
            return event
        }
    }

    /// Time until `handleTimeout()` should be called, or nil if no retransmission timer runs.
    public var nextTimeout: Duration? {
        guard state == .handshaking || state == .connected else { return nil }
        var remaining = timeval()
        guard shim_DTLSv1_get_timeout(ssl, &remaining) == 1 else { return nil }
        return .seconds(Int64(remaining.tv_sec)) + .microseconds(Int64(remaining.tv_usec))
    }

    /// Retransmits the last flight if its timer has expired (DTLS has no other loss recovery).
    /// Fails the endpoint once OpenSSL gives up after its retransmission limit.
    public func handleTimeout() -> DTLSOutput {
        guard state == .handshaking || state == .connected else { return DTLSOutput() }
        return perform {
            if shim_DTLSv1_handle_timeout(ssl) < 0 {
                let detail = OpenSSLErrorQueue.drain()
                return fail(
                    detail.isEmpty
                        ? "DTLS: the handshake timed out"
                        : "DTLS: the handshake timed out: \(detail)")
            }
            return nil
        }
    }

    /// The protocol version once connected ("DTLSv1.2"), for logs.
    public var negotiatedProtocol: String? {
        guard state == .connected, let name = SSL_get_version(ssl) else { return nil }
        return String(cString: name)
    }

    /// The DTLS cipher suite once connected (OpenSSL's name), for logs.
    public var negotiatedCipher: String? {
        guard state == .connected, let cipher = SSL_get_current_cipher(ssl),
            let name = SSL_CIPHER_get_name(cipher)
        else { return nil }
        return String(cString: name)
    }

    /// Sends close_notify (e.g. on hang-up) and stops the endpoint.
    public func close() -> DTLSOutput {
        guard state == .handshaking || state == .connected else { return DTLSOutput() }
        return perform {
            _ = SSL_shutdown(ssl)
            state = .closed
            return nil
        }
    }

    // MARK: - Internals

    /// Runs one OpenSSL step with a clean error queue and collects what it wrote.
    private func perform(_ step: () -> DTLSEvent?) -> DTLSOutput {
        OpenSSLErrorQueue.clear()
        let event = step()
        let datagrams = drainWrites()
        OpenSSLErrorQueue.clear()
        return DTLSOutput(datagrams: datagrams, event: event)
    }

    private func advanceHandshake() -> DTLSEvent? {
        let result = SSL_do_handshake(ssl)
        if result == 1 { return finishHandshake() }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return nil
        case SSL_ERROR_ZERO_RETURN:
            return fail("DTLS: the peer closed the connection before the handshake finished")
        default:
            return fail(failureReason(context: "handshake failed"))
        }
    }

    /// After the handshake the peer may still retransmit its last flight (our final flight was
    /// lost), send alerts or close_notify; DTLS-SRTP carries no application data, so any is dropped.
    private func readAfterHandshake() -> DTLSEvent? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        for _ in 0..<16 {
            let count = SSL_read(ssl, &buffer, Int32(buffer.count))
            if count > 0 { continue }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return nil
            case SSL_ERROR_ZERO_RETURN:
                _ = SSL_shutdown(ssl)  // answer with our close_notify
                state = .closed
                return .closed
            default:
                return fail(failureReason(context: "association failed"))
            }
        }
        return nil
    }

    private func finishHandshake() -> DTLSEvent {
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            return rejectPeer("DTLS: the peer sent no certificate")
        }
        defer { X509_free(peer) }
        guard let actual = DTLSFingerprint.of(x509: peer, hashFunction: peerFingerprint.hashFunction),
            actual == peerFingerprint
        else {
            return rejectPeer("DTLS: the peer's certificate does not match the SDP fingerprint")
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
            let profile = SRTPProfile(dtlsID: UInt16(truncatingIfNeeded: selected.pointee.id)),
            profiles.contains(profile)
        else {
            return rejectPeer("DTLS: no SRTP profile was negotiated")
        }
        var material = [UInt8](repeating: 0, count: 2 * (profile.keyLength + profile.saltLength))
        let label = SRTPKeys.exporterLabel
        let exported = SSL_export_keying_material(
            ssl, &material, material.count,
            label, label.utf8.count, nil, 0, 0)
        guard exported == 1,
            let keys = SRTPKeys(keyingMaterial: material, profile: profile, isClient: role == .client)
        else {
            return rejectPeer("DTLS: cannot export the SRTP keying material")
        }
        self.keys = keys
        state = .connected
        return .connected(keys)
    }

    /// Fails after a completed handshake, telling the peer with close_notify so it stops too
    /// (OpenSSL offers no way to send a fatal alert of our choosing at this point).
    private func rejectPeer(_ reason: String) -> DTLSEvent {
        _ = SSL_shutdown(ssl)
        return fail(reason)
    }

    private func fail(_ reason: String) -> DTLSEvent {
        state = .failed(reason)
        keys = nil
        return .failed(reason)
    }

    /// Prefers the alert the peer sent (it names the peer's complaint) over OpenSSL's local reason.
    private func failureReason(context: String) -> String {
        let detail = OpenSSLErrorQueue.drain()
        if callbackState.fingerprintMismatch {
            return "DTLS: the peer's certificate does not match the SDP fingerprint"
        }
        if let alert = callbackState.receivedAlert, alert >> 8 == SSL3_AL_FATAL,
            let text = SSL_alert_desc_string_long(alert)
        {
            return "DTLS: the peer sent a fatal alert: \(String(cString: text))"
        }
        return detail.isEmpty ? "DTLS: \(context)" : "DTLS: \(context): \(detail)"
    }

    private func drainWrites() -> [[UInt8]] {
        let pending = BIO_ctrl_pending(writeBIO)
        guard pending > 0, pending <= Int(Int32.max) else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let count = bytes.withUnsafeMutableBytes { BIO_read(writeBIO, $0.baseAddress, Int32($0.count)) }
        guard count > 0 else { return [] }
        return DTLSRecordPacker.datagrams(from: bytes[0..<Int(count)], mtu: mtu)
    }
}
