/// The one audio format inside sipterm: 8 kHz mono 16-bit PCM, what G.711 carries. Devices and
/// files convert at their edge; the media clock moves 20 ms frames.
public enum AudioFormat {
    public static let sampleRate = 8000
    /// 20 ms at 8 kHz.
    public static let frameSamples = 160
}

/// Where a call's outgoing audio comes from. The media clock calls `read` every 20 ms from its
/// own thread, so it must never block: a device that has nothing returns silence.
public protocol AudioSource: AnyObject, Sendable {
    /// The next `count` samples.
    func read(_ count: Int) -> [Int16]
    /// Releases the device when the call ends (a microphone is freed for the next call).
    func close()
}

extension AudioSource {
    /// Most sources (files, tones) hold nothing to release.
    public func close() {}
}

/// Where a call's incoming audio goes, one frame at a time from the playout clock; never blocks.
public protocol AudioSink: AnyObject, Sendable {
    func write(_ samples: [Int16])
    /// Flushes and releases the device (a WAV file gets its final header).
    func close()
}

/// The null device: silence in, everything out discarded. What a call uses when there is no
/// audio device, so that signalling carries on.
public final class NullAudio: AudioSource, AudioSink {
    public init() {}
    public func read(_ count: Int) -> [Int16] { Array(repeating: 0, count: count) }
    public func write(_ samples: [Int16]) {}
    public func close() {}
}
