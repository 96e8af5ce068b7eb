import NIOSSL

/// How TLS and WSS verify the server: the system trust store, plus the certificates of
/// `tls_ca_file` (extra CAs, or a server's self-signed certificate). There is no insecure mode.
public struct TLSSettings: Sendable, Equatable {
    /// A PEM file of certificates trusted in addition to the system store.
    public var caFile: String?

    public init(caFile: String? = nil) { self.caFile = caFile }

    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .default
        if let caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Words for a TLS failure: certificate problems are named as such.
    static func describe(_ error: Error, url: SocketURL) -> TransportError {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate") || text.contains("Certificate")
            || text.contains("hostname") || text.contains("unableToValidateCertificate")
        {
            return TransportError(
                "TLS: the certificate of \(url.host):\(url.port) is not trusted (\(text)); add its CA with tls_ca_file",
                certificate: true)
        }
        return TransportError("TLS with \(url.host):\(url.port) failed: \(text)")
    }
}
