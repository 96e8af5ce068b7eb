/// What a call's media reports to the signalling on its own, outside any request: the
/// signalling ends the call on `failed`.
public enum MediaEvent: Sendable, Equatable {
    /// The media is secured, as people read it (`SRTP (DTLS AES_CM_128_HMAC_SHA1_80)`).
    case secured(String)
    /// A milestone worth showing (`ICE: connected, host … ↔ host …`).
    case progress(String)
    /// The media cannot work and nothing more is sent; the text names the layer (`DTLS: …`).
    case failed(String)
}
