import NIOConcurrencyHelpers

/// A WAV file played as a call's outgoing audio. The whole file is decoded and converted to
/// 8 kHz mono when it is opened, so `read` only copies samples: it never touches the disk.
public final class WAVFileSource: AudioSource {
    /// The converted audio, 8 kHz mono.
    public let samples: [Int16]
    /// Whether reading past the end starts again from the beginning; otherwise silence follows.
    public let loop: Bool
    private let position = NIOLockedValueBox(0)

    public init(path: String, loop: Bool = true) throws(WAVError) {
        self.samples = try WAVFile.readTelephony(path: path)
        self.loop = loop
    }

    /// Plays already converted 8 kHz mono samples.
    public init(samples: [Int16], loop: Bool = true) {
        self.samples = samples
        self.loop = loop
    }

    /// The length of the audio in seconds.
    public var duration: Double { Double(samples.count) / Double(AudioFormat.sampleRate) }

    /// True once a non-looping source has handed out every sample.
    public var isFinished: Bool { !loop && position.withLockedValue { $0 } >= samples.count }

    /// Starts again from the first sample.
    public func rewind() { position.withLockedValue { $0 = 0 } }

    public func read(_ count: Int) -> [Int16] {
        guard count > 0 else { return [] }
        let total = samples.count
        guard total > 0 else { return Array(repeating: 0, count: count) }
        // Claim the span under the lock, copy outside it.
        let start = position.withLockedValue { position in
            let start = position
            position = loop ? (position + count) % total : min(total, position + count)
            return start
        }
        var out: [Int16] = []
        out.reserveCapacity(count)
        var at = start
        while out.count < count {
            if at >= total {
                guard loop else { break }
                at = 0
            }
            let take = min(count - out.count, total - at)
            out.append(contentsOf: samples[at..<(at + take)])
            at += take
        }
        if out.count < count { out.append(contentsOf: repeatElement(0, count: count - out.count)) }
        return out
    }
}
