import CSRTP

/// An SRTP protection profile: its cipher and tag, and the names SDES (RFC 4568, RFC 7714)
/// and DTLS-SRTP (RFC 5764, RFC 7714) give it. The order of `all` is sipterm's preference.
public enum SRTPProfile: String, Sendable, CaseIterable {
    case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aeadAES128GCM = "AEAD_AES_128_GCM"
    case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// Offered in this order: the suite every SRTP peer has first, then GCM, then the short tag.
    public static let all: [SRTPProfile] = [.aesCM128HMACSHA1_80, .aeadAES128GCM, .aesCM128HMACSHA1_32]

    /// The RFC 4568 crypto-suite name in `a=crypto`.
    public var sdesName: String { rawValue }

    /// The RFC 5764 `use_srtp` profile name as OpenSSL spells it.
    public var dtlsName: String {
        switch self {
        case .aesCM128HMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aesCM128HMACSHA1_32: "SRTP_AES128_CM_SHA1_32"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        }
    }

    /// What a DTLS-SRTP endpoint offers in `use_srtp`, most preferred first: GCM (what
    /// browsers prefer), then the suite every SIP peer has, the short tag last.
    public static let dtlsPreference: [SRTPProfile] = [.aeadAES128GCM, .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32]

    /// The RFC 5764 / RFC 7714 protection profile number.
    public var dtlsID: UInt16 {
        switch self {
        case .aesCM128HMACSHA1_80: 1
        case .aesCM128HMACSHA1_32: 2
        case .aeadAES128GCM: 7
        }
    }

    public init?(dtlsID: UInt16) {
        guard let profile = SRTPProfile.all.first(where: { $0.dtlsID == dtlsID }) else { return nil }
        self = profile
    }

    public init?(sdesName: String) {
        guard let profile = SRTPProfile.all.first(where: { $0.sdesName == sdesName.uppercased() }) else { return nil }
        self = profile
    }

    public init?(dtlsName: String) {
        guard let profile = SRTPProfile.all.first(where: { $0.dtlsName == dtlsName }) else { return nil }
        self = profile
    }

    public var keyLength: Int { 16 }
    /// AES-CM salts are 112 bits; GCM's are 96 (RFC 7714 §12).
    public var saltLength: Int { self == .aeadAES128GCM ? 12 : 14 }
    /// A master key followed by its master salt, as SDES's `inline:` key carries them.
    public var masterLength: Int { keyLength + saltLength }

    /// libsrtp's SRTP and SRTCP policies. SRTCP keeps the 80-bit tag with the _32 suite
    /// (RFC 4568 §6.2.2, RFC 5764 §4.1.2).
    func setPolicies(_ policy: inout srtp_policy_t) {
        switch self {
        case .aesCM128HMACSHA1_80:
            csrtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            csrtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        case .aesCM128HMACSHA1_32:
            csrtp_policy_aes_cm_128_hmac_sha1_32(&policy.rtp)
            csrtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        case .aeadAES128GCM:
            csrtp_policy_aes_gcm_128_16(&policy.rtp)
            csrtp_policy_aes_gcm_128_16(&policy.rtcp)
        }
    }
}
