/// RFC 4568 offer/answer of `a=crypto`: the offerer lists one line per suite with its own
/// keys, the answerer picks one line (by tag) and answers it with a key of its own.
enum SDESNegotiation {
    /// The lines of a stream that sipterm can use, in the stream's order.
    static func cryptos(in media: MediaDescription) -> [SDESCrypto] {
        media.attributes.filter { $0.name == "crypto" }.compactMap { $0.value.flatMap(SDESCrypto.init) }
    }

    /// One line per suite sipterm has; a re-offer keeps the keys of the previous offer so the
    /// streams are not re-keyed without a reason (RFC 4568 §7.1.4 allows either).
    static func offerLines(previous: MediaDescription?) -> [SDESCrypto] {
        let kept = previous.map(cryptos) ?? []
        return SRTPProfile.all.enumerated().map { index, profile in
            kept.first { $0.profile == profile } ?? .generate(tag: index + 1, profile: profile)
        }
    }

    /// The answer's line to an offered stream and the call's keys, or why none can be used.
    static func answer(
        _ offered: MediaDescription, previous: MediaDescription?
    ) throws(SDPError) -> (SDESCrypto, SRTPKeys) {
        guard let chosen = cryptos(in: offered).first else {
            throw SDPError(
                "the SRTP offer has no a=crypto line sipterm can use (it has \(SRTPProfile.all.map(\.sdesName).joined(separator: ", ")))"
            )
        }
        let kept = previous.map(cryptos)?.first { $0.profile == chosen.profile }
        var ours = kept ?? .generate(tag: chosen.tag, profile: chosen.profile)
        ours.tag = chosen.tag
        return (ours, SRTPKeys(profile: chosen.profile, local: ours.key, remote: chosen.key))
    }

    /// The call's keys from the answer to our offer: its one line must answer one of ours.
    static func accept(answer: MediaDescription, offer: MediaDescription) throws(SDPError) -> SRTPKeys {
        guard let theirs = cryptos(in: answer).first else {
            throw SDPError("the answer to the SRTP offer has no usable a=crypto line")
        }
        guard let ours = cryptos(in: offer).first(where: { $0.tag == theirs.tag && $0.profile == theirs.profile })
        else { throw SDPError("the answer's a=crypto (tag \(theirs.tag)) answers no line of the offer") }
        return SRTPKeys(profile: ours.profile, local: ours.key, remote: theirs.key)
    }
}
