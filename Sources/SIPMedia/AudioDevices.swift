/// Why an audio device or file could not be opened, as one sentence a user understands: which
/// device, what the system said, and which setting to change.
public struct AudioDeviceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The device or file as the user named it.
    public var device: String
    public var message: String

    public init(device: String, _ message: String) {
        self.device = device
        self.message = message
    }

    public var description: String { message }
}

/// Turns the `[sipterm] audio_input` and `audio_output` settings into a source and a sink:
/// `null` is the null device, `file:PATH.wav` a WAV file, and anything else (`default`, `hw:1`,
/// `plughw:CARD=USB,DEV=0`…) an ALSA PCM name.
public enum AudioDevices {
    /// What a setting names.
    public enum Spec: Equatable, Sendable {
        case null
        case file(path: String)
        case alsa(device: String)

        public init(_ text: String) {
            var spec = Substring(text).drop(while: \.isWhitespace)
            while spec.last?.isWhitespace == true { spec = spec.dropLast() }
            if spec.lowercased() == "null" {
                self = .null
            } else if spec.hasPrefix("file:") {
                self = .file(path: String(spec.dropFirst("file:".count)))
            } else {
                self = .alsa(device: spec.isEmpty ? "default" : String(spec))
            }
        }
    }

    /// The source `spec` names (`[sipterm] audio_input`), or why it cannot be opened; a caller
    /// falls back to `NullAudio` so that signalling carries on.
    public static func source(_ spec: String) -> Result<any AudioSource, AudioDeviceError> {
        switch Spec(spec) {
        case .null: return .success(NullAudio())
        case .file(let path):
            do { return .success(try WAVFileSource(path: path, loop: true)) } catch {
                return .failure(wavFailure(error, setting: "[sipterm] audio_input"))
            }
        case .alsa(let device):
            #if canImport(CALSA)
                do { return .success(try ALSACapture(device: device)) } catch { return .failure(error) }
            #else
                return .failure(alsaUnavailable(device, setting: "audio_input"))
            #endif
        }
    }

    /// The sink `spec` names (`[sipterm] audio_output`), or why it cannot be opened. With a
    /// `recordingPath`, what is played is also written to that WAV file.
    public static func sink(_ spec: String, recordingPath: String? = nil) -> Result<any AudioSink, AudioDeviceError> {
        let sink: any AudioSink
        switch Spec(spec) {
        case .null: sink = NullAudio()
        case .file(let path):
            do { sink = try WAVFileSink(path: path) } catch {
                return .failure(wavFailure(error, setting: "[sipterm] audio_output"))
            }
        case .alsa(let device):
            #if canImport(CALSA)
                do { sink = try ALSAPlayback(device: device) } catch { return .failure(error) }
            #else
                return .failure(alsaUnavailable(device, setting: "audio_output"))
            #endif
        }
        guard let recordingPath else { return .success(sink) }
        do { return .success(TeeAudioSink(sink, try WAVFileSink(path: recordingPath))) } catch {
            sink.close()
            return .failure(wavFailure(error, setting: "the recording path"))
        }
    }

    /// Every PCM device ALSA knows; empty when there is no sound card (or no ALSA).
    public static func availableDevices() -> [(name: String, description: String, capture: Bool, playback: Bool)] {
        #if canImport(CALSA)
            return ALSACapture.availableDevices()
        #else
            return []
        #endif
    }

    /// `cannot use WAV file x.wav: No such file or directory (set [sipterm] audio_input)`
    static func wavFailure(_ error: WAVError, setting: String) -> AudioDeviceError {
        AudioDeviceError(device: "file:" + error.path, "cannot use \(error) (set \(setting))")
    }

    static func alsaUnavailable(_ device: String, setting: String) -> AudioDeviceError {
        AudioDeviceError(
            device: device,
            "cannot open audio device \"\(device)\": ALSA is not available on this system "
                + "(set [sipterm] \(setting) = \"null\")")
    }
}

/// Plays one sink's audio into two (the device and a recording).
final class TeeAudioSink: AudioSink {
    let first: any AudioSink
    let second: any AudioSink

    init(_ first: any AudioSink, _ second: any AudioSink) {
        self.first = first
        self.second = second
    }

    func write(_ samples: [Int16]) {
        first.write(samples)
        second.write(samples)
    }

    func close() {
        first.close()
        second.close()
    }
}

/// A bounded FIFO of samples between a device thread and the media clock; when full, the oldest
/// samples are dropped so that latency stays bounded.
struct SampleRing {
    private var storage: [Int16]
    private var start = 0
    private(set) var count = 0

    init(capacity: Int) { storage = [Int16](repeating: 0, count: max(1, capacity)) }

    var capacity: Int { storage.count }

    mutating func append(_ samples: some Collection<Int16>) {
        for sample in samples.suffix(capacity) {
            if count == capacity {
                start = (start + 1) % capacity
                count -= 1
            }
            storage[(start + count) % capacity] = sample
            count += 1
        }
    }

    /// Up to `limit` of the oldest samples, removed from the ring.
    mutating func take(_ limit: Int) -> [Int16] {
        let n = min(max(0, limit), count)
        var out = [Int16]()
        out.reserveCapacity(n)
        for index in 0..<n { out.append(storage[(start + index) % capacity]) }
        start = (start + n) % capacity
        count -= n
        return out
    }
}
