import CSRTP

/// Why SRTP could not be set up.
public struct SRTPError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One call's SRTP and SRTCP in both directions, on libsrtp: the outbound session protects
/// with sipterm's key, the inbound one checks and decrypts with the peer's (replay window,
/// rollover counter and SRTCP index are libsrtp's). Confined to the media engine's event
/// loop, like the engine; packets that fail are counted, never played.
public final class SRTPContext {
    public let keys: SRTPKeys
    private var outbound: srtp_t?
    private var inbound: srtp_t?
    /// Packets refused by the authentication check (tampered, or a wrong key).
    public private(set) var authenticationFailures = 0
    /// Packets refused as replays (an index seen before, or too old for the window).
    public private(set) var replays = 0
    /// Packets refused for any other reason (too short, unknown SSRC state).
    public private(set) var otherFailures = 0

    /// libsrtp wants `srtp_init` once per process before any session.
    private static let initialised: Bool = srtp_init() == srtp_err_status_ok

    public init(keys: SRTPKeys) throws(SRTPError) {
        self.keys = keys
        guard Self.initialised else { throw SRTPError("libsrtp2 could not be initialised") }
        let profile = keys.profile
        guard keys.local.count == profile.masterLength, keys.remote.count == profile.masterLength else {
            throw SRTPError("\(profile.sdesName) needs \(profile.masterLength)-byte master keys")
        }
        outbound = try Self.session(profile, key: keys.local, ssrc: ssrc_any_outbound)
        do {
            inbound = try Self.session(profile, key: keys.remote, ssrc: ssrc_any_inbound)
        } catch {
            if let outbound { srtp_dealloc(outbound) }
            outbound = nil
            throw error
        }
    }

    deinit {
        if let outbound { srtp_dealloc(outbound) }
        if let inbound { srtp_dealloc(inbound) }
    }

    private static func session(
        _ profile: SRTPProfile, key: [UInt8], ssrc: srtp_ssrc_type_t
    ) throws(SRTPError) -> srtp_t {
        var policy = srtp_policy_t()
        profile.setPolicies(&policy)
        policy.ssrc.type = ssrc
        policy.window_size = 128
        policy.allow_repeat_tx = 0
        var session: srtp_t?
        var material = key
        let status = material.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            return srtp_create(&session, &policy)
        }
        guard status == srtp_err_status_ok, let session else {
            throw SRTPError("libsrtp2 refused the \(profile.sdesName) policy (status \(status.rawValue))")
        }
        return session
    }

    /// The SRTP packet for an RTP packet; nil only if libsrtp refuses (never for a packet
    /// sipterm built).
    public func protect(_ packet: [UInt8]) -> [UInt8]? { transform(packet, outbound, srtp_protect, grow: true) }

    public func protectRTCP(_ packet: [UInt8]) -> [UInt8]? {
        transform(packet, outbound, srtp_protect_rtcp, grow: true)
    }

    /// The RTP packet inside an SRTP packet, or nil (counted) when it fails authentication or
    /// replays an earlier one.
    public func unprotect(_ packet: [UInt8]) -> [UInt8]? { transform(packet, inbound, srtp_unprotect, grow: false) }

    public func unprotectRTCP(_ packet: [UInt8]) -> [UInt8]? {
        transform(packet, inbound, srtp_unprotect_rtcp, grow: false)
    }

    private func transform(
        _ packet: [UInt8], _ session: srtp_t?,
        _ operation: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t,
        grow: Bool
    ) -> [UInt8]? {
        // libsrtp reads a full RTP header (and, unprotecting, a tag) without checking first.
        guard let session, packet.count >= 12 else {
            otherFailures += 1
            return nil
        }
        var buffer = packet
        if grow { buffer.append(contentsOf: repeatElement(0, count: Int(csrtp_max_trailer()))) }
        var length = Int32(packet.count)
        let status = buffer.withUnsafeMutableBytes { bytes in operation(session, bytes.baseAddress, &length) }
        guard status == srtp_err_status_ok, length >= 0, Int(length) <= buffer.count else {
            switch status {
            case srtp_err_status_auth_fail: authenticationFailures += 1
            case srtp_err_status_replay_fail, srtp_err_status_replay_old: replays += 1
            default: otherFailures += 1
            }
            return nil
        }
        buffer.removeLast(buffer.count - Int(length))
        return buffer
    }
}
