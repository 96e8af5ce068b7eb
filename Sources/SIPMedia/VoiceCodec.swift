/// A voice codec the media clock can run, as negotiation names it: which coder to build, and how
/// RTP counts its time. Sendable, so the session actor can hand it to the engine, which builds
/// the (stateful) coder on its own event loop.
enum VoiceEncoding: Sendable, Equatable {
    case pcmu
    case pcma
    case opus

    /// The coder for a negotiated rtpmap, nil for one sipterm cannot run.
    init?(_ map: MediaDescription.RTPMap) {
        switch (map.encoding.lowercased(), map.clockRate) {
        case ("pcmu", 8000): self = .pcmu
        case ("pcma", 8000): self = .pcma
        case ("opus", OpusCodecClock.rate): self = .opus
        default: return nil
        }
    }

    /// RTP timestamp units per second: 8000 for G.711, always 48000 for Opus (RFC 7587).
    var rtpClockRate: Int {
        switch self {
        case .pcmu, .pcma: AudioFormat.sampleRate
        case .opus: OpusCodecClock.rate
        }
    }

    /// How far the RTP timestamp moves per 20 ms frame: 160 for G.711, 960 for Opus.
    var timestampStep: Int { rtpClockRate / 50 }

    /// A fresh coder (nil if libopus cannot be set up).
    func makeCodec() -> (any VoiceCodec)? {
        switch self {
        case .pcmu: return G711Voice(alaw: false)
        case .pcma: return G711Voice(alaw: true)
        case .opus:
            #if canImport(COpus)
                return try? OpusVoice()
            #else
                return nil
            #endif
        }
    }
}

/// RFC 7587's Opus RTP clock, also where libopus is not available.
enum OpusCodecClock {
    static let rate = 48000
}

/// One codec instance as the media clock uses it: 20 ms frames of 8 kHz mono samples in and out.
/// Used from one thread (the RTP socket's event loop); decoders may keep state between packets.
protocol VoiceCodec: AnyObject {
    var encoding: VoiceEncoding { get }
    /// One RTP payload for one frame (`AudioFormat.frameSamples` samples); nil when it cannot.
    func encode(_ frame: [Int16]) -> [UInt8]?
    /// The samples in one received payload (a malformed one gives a concealed frame, never a crash).
    func decode(_ payload: [UInt8]) -> [Int16]
    /// One frame in place of a lost packet.
    func conceal() -> [Int16]
}

/// G.711 μ-law or A-law; loss is concealed by repeating the last frame, fading.
final class G711Voice: VoiceCodec {
    let alaw: Bool
    private var concealment = LossConcealment()

    init(alaw: Bool) { self.alaw = alaw }

    var encoding: VoiceEncoding { alaw ? .pcma : .pcmu }

    func encode(_ frame: [Int16]) -> [UInt8]? { G711.encode(frame, alaw: alaw) }

    func decode(_ payload: [UInt8]) -> [Int16] {
        let samples = G711.decode(payload, alaw: alaw)
        concealment.played(samples)
        return samples
    }

    func conceal() -> [Int16] { concealment.conceal() }
}

#if canImport(COpus)
    /// Opus narrowband through libopus; loss is concealed by the decoder's own PLC.
    final class OpusVoice: VoiceCodec {
        private let codec: OpusCodec

        init() throws(OpusError) { codec = try OpusCodec() }

        var encoding: VoiceEncoding { .opus }

        func encode(_ frame: [Int16]) -> [UInt8]? { try? codec.encode(frame) }

        func decode(_ payload: [UInt8]) -> [Int16] {
            (try? codec.decode(payload)) ?? codec.conceal()
        }

        func conceal() -> [Int16] { codec.conceal() }
    }
#endif
