import COpenSSL

/// This run's DTLS identity: a fresh ECDSA P-256 key and a self-signed certificate for it.
///
/// DTLS-SRTP authenticates by fingerprint, not by a CA chain (RFC 5763 §5), so a per-run
/// self-signed certificate is all that is needed, and regenerating it each run keeps calls
/// unlinkable. P-256 is what browsers and other DTLS-SRTP stacks use and is cheap to sign with.
///
/// `@unchecked Sendable`: the key and certificate are never mutated after `init`, and OpenSSL
/// allows concurrent read-only use of both (each `SSL_CTX` that uses them takes its own reference).
public final class DTLSCertificate: @unchecked Sendable {
    let privateKey: OpaquePointer
    let x509: OpaquePointer

    /// The `a=fingerprint` value for our SDP (`sha-256 AB:CD:…`).
    public let fingerprint: DTLSFingerprint

    /// Generates the key and certificate.
    /// - Parameters:
    ///   - commonName: subject and issuer CN; peers do not check it.
    ///   - validityDays: the certificate is valid this many days before and after now, so a peer
    ///     with a skewed clock still accepts it.
    public init(commonName: String = "sipterm", validityDays: Int = 30) throws {
        OpenSSLErrorQueue.clear()
        guard let key = shim_EVP_EC_gen_P256() else { throw DTLSError.openSSL("DTLS: cannot generate a P-256 key") }
        guard let cert = X509_new() else {
            EVP_PKEY_free(key)
            throw DTLSError.openSSL("DTLS: cannot allocate a certificate")
        }
        do {
            try DTLSCertificate.fill(cert, key: key, commonName: commonName, validityDays: validityDays)
        } catch {
            X509_free(cert)
            EVP_PKEY_free(key)
            throw error
        }
        guard let fingerprint = DTLSFingerprint.of(x509: cert, hashFunction: "sha-256") else {
            X509_free(cert)
            EVP_PKEY_free(key)
            throw DTLSError.openSSL("DTLS: cannot hash the certificate")
        }
        self.privateKey = key
        self.x509 = cert
        self.fingerprint = fingerprint
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    /// Fingerprint of our certificate with another hash function (e.g. to answer an offer that
    /// used sha-1); nil if the hash is not supported.
    public func fingerprint(hashFunction: String) -> DTLSFingerprint? {
        DTLSFingerprint.of(x509: x509, hashFunction: hashFunction)
    }

    /// The certificate, DER-encoded.
    public var derEncoded: [UInt8] {
        let length = i2d_X509(x509, nil)
        guard length > 0 else {
            OpenSSLErrorQueue.clear()
            return []
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        OpenSSLErrorQueue.clear()
        return written == length ? der : []
    }

    /// The certificate and its unencrypted private key in PEM, for handing to tools such as
    /// `openssl s_server` in tests. Keep the key out of logs.
    public func pem() throws -> (certificate: String, privateKey: String) {
        let cert = try DTLSCertificate.pemString { PEM_write_bio_X509($0, x509) }
        let key = try DTLSCertificate.pemString {
            PEM_write_bio_PrivateKey($0, privateKey, nil, nil, 0, nil, nil)
        }
        return (cert, key)
    }

    private static func pemString(_ write: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw DTLSError.openSSL("DTLS: cannot allocate a BIO") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw DTLSError.openSSL("DTLS: cannot encode PEM") }
        var data: UnsafeMutablePointer<CChar>?
        let length = shim_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { throw DTLSError.openSSL("DTLS: empty PEM") }
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func fill(
        _ cert: OpaquePointer, key: OpaquePointer, commonName: String,
        validityDays: Int
    ) throws {
        guard X509_set_version(cert, 2) == 1 else { throw DTLSError.openSSL("DTLS: X509_set_version") }  // v3

        // A random positive serial: 16 random bytes with the top bit clear (RFC 5280 §4.1.2.2).
        var serialBytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1 else {
            throw DTLSError.openSSL("DTLS: no randomness for the serial number")
        }
        serialBytes[0] = (serialBytes[0] & 0x7F) | 0x40
        guard let serial = BN_bin2bn(serialBytes, Int32(serialBytes.count), nil) else {
            throw DTLSError.openSSL("DTLS: BN_bin2bn")
        }
        defer { BN_free(serial) }
        guard BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) != nil else {
            throw DTLSError.openSSL("DTLS: cannot set the serial number")
        }

        let seconds = validityDays * 86_400
        guard X509_gmtime_adj(X509_getm_notBefore(cert), -seconds) != nil,
            X509_gmtime_adj(X509_getm_notAfter(cert), seconds) != nil
        else { throw DTLSError.openSSL("DTLS: cannot set the validity period") }

        guard let name = X509_get_subject_name(cert),
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1,
            X509_set_issuer_name(cert, name) == 1
        else { throw DTLSError.openSSL("DTLS: cannot set the certificate name") }

        guard X509_set_pubkey(cert, key) == 1 else { throw DTLSError.openSSL("DTLS: X509_set_pubkey") }
        guard X509_sign(cert, key, EVP_sha256()) > 0 else {
            throw DTLSError.openSSL("DTLS: cannot sign the certificate")
        }
    }
}

extension DTLSCertificate {
    /// The run's identity, made on first use and shared by every call (a new one per call would
    /// cost a key generation each; per run keeps runs unlinkable). Nil if OpenSSL cannot make one.
    public static let perRun: DTLSCertificate? = try? DTLSCertificate()
}
