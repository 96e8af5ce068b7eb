/// Everything an SDP body from the network reaches, without a call: for the FuzzSDP target,
/// which must show that no offer or answer crashes sipterm. The body is parsed; what parses is
/// written out and must read back to the same text; then it is answered as an offer and taken
/// as the answer to sipterm's own offer, in every media profile (codecs, SDES crypto lines,
/// DTLS fingerprint and setup, ICE candidates and credentials, mid and BUNDLE).
public enum UntrustedSessionDescription {
    /// One side per profile, every codec sipterm has, SDES allowed: the widest surface.
    static let sides = MediaProfile.allCases.map {
        OfferAnswer(codecs: [.opus, .pcmu, .pcma, .telephoneEvent], profile: $0, allowsSDES: true)
    }

    /// Traps when a property breaks; refusing the body is fine.
    public static func check(_ bytes: [UInt8]) {
        guard let description = try? SessionDescription(parsing: String(decoding: bytes, as: UTF8.self)) else {
            return
        }
        // Writing puts lines in the order RFC 4566 fixes, so the first text is the canonical
        // one: it must parse, and parse to a description that writes the same text again.
        let text = description.text
        let again: SessionDescription
        do {
            again = try SessionDescription(parsing: text)
        } catch {
            fatalError(
                "SDP round trip: the text of a parsed description does not parse: \(error)\n\(text.debugDescription)")
        }
        guard again.text == text else {
            fatalError(
                """
                SDP round trip: parse(text(d)) writes other text
                first:  \(text.debugDescription)
                second: \(again.text.debugDescription)
                """)
        }
        for side in sides {
            if let (answer, _) = try? side.answer(to: description, address: "127.0.0.1", port: 40_000) {
                guard (try? SessionDescription(parsing: answer.text)) != nil else {
                    fatalError("SDP answer: sipterm's answer does not parse\n\(answer.text)")
                }
            }
            let offer = side.offer(address: "127.0.0.1", port: 40_000)
            _ = try? side.accept(answer: description, to: offer)
        }
    }

    /// Seeds for the fuzzer: sipterm's own offers in every profile, with codecs, crypto,
    /// fingerprints and ICE attributes for mutations to start from.
    public static var seeds: [[UInt8]] {
        let candidates = [
            "1 1 udp 2130706431 127.0.0.1 40000 typ host",
            "2 1 udp 1694498815 192.0.2.1 50000 typ srflx raddr 127.0.0.1 rport 40000",
            "3 1 udp 2130706175 ::1 40002 typ host generation 0",
        ].compactMap(ICECandidate.init(sdpValue:))
        let ice = ICELocal(
            credentials: ICECredentials(ufrag: "fuzU", password: "fuzz-ice-password-0123456"), candidates: candidates,
            ssrc: 0x1234_5678, cname: "fuzz")
        return sides.map { side in
            var offer = side.offer(address: "127.0.0.1", port: 40_000)
            if side.profile == .webrtc { ICENegotiation.add(ice, to: &offer) }
            return Array(offer.text.utf8)
        }
    }
}
