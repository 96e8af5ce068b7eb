/// What one side's SDP settles for a DTLS-SRTP stream: who sends the ClientHello, the
/// certificate the peer must present, and our own identity. Equal parameters keep the running
/// association across a re-INVITE; different ones start a new one (RFC 8842 §5.5).
public struct DTLSParameters: Sendable, Equatable {
    public var role: DTLSRole
    public var peerFingerprint: DTLSFingerprint
    public var certificate: DTLSCertificate

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.role == rhs.role && lhs.peerFingerprint == rhs.peerFingerprint && lhs.certificate === rhs.certificate
    }
}

/// RFC 5763 / RFC 8842 offer/answer of `a=setup` and `a=fingerprint`: the offerer says
/// `actpass`, the answerer picks `active` (it sends the ClientHello at once, which saves a round
/// trip, as browsers do) unless the offer forces a role.
enum DTLSNegotiation {
    /// The attributes an offer carries: our fingerprint, `actpass`, and rtcp-mux.
    static func offerAttributes(certificate: DTLSCertificate) -> [SessionDescription.Attribute] {
        [
            .init("fingerprint", certificate.fingerprint.sdpValue), .init("setup", "actpass"),
            .init("rtcp-mux"),
        ]
    }

    /// The answer's attributes for a DTLS-SRTP stream offered to us, and the parameters the
    /// engine runs with. Throws for an offer that cannot be answered (no fingerprint, a hash
    /// sipterm lacks, `holdconn`).
    static func answer(
        _ offered: MediaDescription, session: SessionDescription, certificate: DTLSCertificate
    ) throws(SDPError) -> ([SessionDescription.Attribute], DTLSParameters) {
        let fingerprint = try peerFingerprint(offered, session: session, side: "offer")
        let role: DTLSRole
        // RFC 4145 §4: an offer without a=setup is active.
        switch setup(offered, session: session) ?? "active" {
        case "actpass", "passive": role = .client
        case "active": role = .server
        case let other: throw SDPError("DTLS: the offer's a=setup:\(other) leaves no DTLS role to take")
        }
        var attributes: [SessionDescription.Attribute] = [
            .init("fingerprint", certificate.fingerprint.sdpValue),
            .init("setup", role == .client ? "active" : "passive"),
        ]
        if offered.attributes.contains(where: { $0.name == "rtcp-mux" }) { attributes.append(.init("rtcp-mux")) }
        return (attributes, DTLSParameters(role: role, peerFingerprint: fingerprint, certificate: certificate))
    }

    /// The parameters from the answer to our `actpass` offer.
    static func accept(
        answer: MediaDescription, session: SessionDescription, certificate: DTLSCertificate
    ) throws(SDPError) -> DTLSParameters {
        let fingerprint = try peerFingerprint(answer, session: session, side: "answer")
        let role: DTLSRole
        switch setup(answer, session: session) ?? "active" {
        case "active": role = .server
        case "passive": role = .client
        case let other: throw SDPError("DTLS: the answer's a=setup:\(other) is not active or passive (RFC 8842 §5.2)")
        }
        return DTLSParameters(role: role, peerFingerprint: fingerprint, certificate: certificate)
    }

    /// The stream's `a=setup`, else the session's.
    private static func setup(_ media: MediaDescription, session: SessionDescription) -> String? {
        (media.attributes + session.attributes).first { $0.name == "setup" }?.value?.lowercased()
    }

    /// The first `a=fingerprint` (stream level, else session level, RFC 8122 §5) with a hash
    /// function sipterm can check.
    private static func peerFingerprint(
        _ media: MediaDescription, session: SessionDescription, side: String
    ) throws(SDPError) -> DTLSFingerprint {
        let lines = (media.attributes + session.attributes).filter { $0.name == "fingerprint" }
        guard !lines.isEmpty else { throw SDPError("DTLS: the \(side)'s DTLS-SRTP stream has no a=fingerprint") }
        guard let fingerprint = lines.lazy.compactMap({ $0.value.flatMap(DTLSFingerprint.init(sdpValue:)) }).first
        else {
            throw SDPError(
                "DTLS: the \(side)'s a=fingerprint uses no hash sipterm checks (\(DTLSFingerprint.supportedHashFunctions.joined(separator: ", ")))"
            )
        }
        return fingerprint
    }
}
