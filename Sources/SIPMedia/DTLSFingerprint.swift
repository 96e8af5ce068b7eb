import COpenSSL

/// A certificate fingerprint as carried in SDP `a=fingerprint` (RFC 8122 §5), e.g.
/// `sha-256 AB:CD:…`.
///
/// DTLS-SRTP peers use self-signed certificates; the fingerprint, delivered over the (integrity
/// protected) signalling path, is what binds the DTLS handshake to the SIP dialog (RFC 5763 §5).
public struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The hash function name, lowercased (`sha-256`).
    public let hashFunction: String
    /// The digest as uppercase hex pairs joined by colons.
    public let value: String

    /// Hash functions accepted from SDP. RFC 8122 also lists md2 and md5, which are too weak to
    /// authenticate a key exchange, so they are refused.
    public static let supportedHashFunctions = ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"]

    /// Builds a fingerprint, normalising case; nil if the hash is unsupported or the value is not
    /// colon-separated hex of that hash's length.
    public init?(hashFunction: String, value: String) {
        let hash = hashFunction.lowercased()
        guard let length = DTLSFingerprint.digestLength(of: hash) else { return nil }
        let pairs = value.uppercased().split(separator: ":", omittingEmptySubsequences: false)
        guard pairs.count == length,
            pairs.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) })
        else { return nil }
        self.hashFunction = hash
        self.value = pairs.joined(separator: ":")
    }

    /// Parses the value of an `a=fingerprint:` attribute (`sha-256 AB:CD:…`).
    public init?(sdpValue: String) {
        let parts = sdpValue.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2 else { return nil }
        self.init(hashFunction: String(parts[0]), value: String(parts[1]))
    }

    /// The text after `a=fingerprint:`.
    public var sdpValue: String { "\(hashFunction) \(value)" }

    public var description: String { sdpValue }

    /// Fingerprint of a DER-encoded certificate; nil for an unsupported hash or undecodable DER.
    public static func of(certificateDER der: [UInt8], hashFunction: String) -> DTLSFingerprint? {
        let x509: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        defer { OpenSSLErrorQueue.clear() }
        guard let x509 else { return nil }
        defer { X509_free(x509) }
        return of(x509: x509, hashFunction: hashFunction)
    }

    /// Fingerprint of an OpenSSL certificate: a hash over its DER encoding (RFC 8122 §5).
    static func of(x509: OpaquePointer, hashFunction: String) -> DTLSFingerprint? {
        let hash = hashFunction.lowercased()
        guard let md = digest(named: hash) else { return nil }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(x509, md, &out, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        let digits = Array("0123456789ABCDEF")
        let hex = out.prefix(Int(length)).map { byte in
            String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return DTLSFingerprint(hashFunction: hash, value: hex.joined(separator: ":"))
    }

    private static func digest(named hash: String) -> OpaquePointer? {
        switch hash {
        case "sha-1": return EVP_sha1()
        case "sha-224": return EVP_sha224()
        case "sha-256": return EVP_sha256()
        case "sha-384": return EVP_sha384()
        case "sha-512": return EVP_sha512()
        default: return nil
        }
    }

    private static func digestLength(of hash: String) -> Int? {
        switch hash {
        case "sha-1": return 20
        case "sha-224": return 28
        case "sha-256": return 32
        case "sha-384": return 48
        case "sha-512": return 64
        default: return nil
        }
    }
}
