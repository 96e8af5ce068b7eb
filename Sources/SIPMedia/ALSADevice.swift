#if canImport(CALSA)
    import CALSA
    import Foundation
    import NIOConcurrencyHelpers

    /// The microphone side of an ALSA PCM: a reader thread moves what the device captured into a
    /// short ring buffer, and `read` takes from it (silence when it has nothing yet), so the media
    /// clock never waits on the device.
    public final class ALSACapture: AudioSource {
        public let device: String
        private let stream: ALSAStream

        /// Opens `device` (an ALSA name: "default", "hw:1", "plughw:CARD=USB,DEV=0"…) for capture at
        /// 8 kHz mono 16-bit; ALSA's plug layer converts from what the hardware does.
        public init(device: String) throws(AudioDeviceError) {
            self.device = device
            stream = try ALSAStream(device: device, capture: true)
            stream.start()
        }

        public func read(_ count: Int) -> [Int16] {
            var samples = stream.shared.withLockedValue { $0.ring.take(count) }
            if samples.count < count { samples += repeatElement(0, count: count - samples.count) }
            return samples
        }

        /// Stops the reader thread and releases the device (waits at most a moment for the thread).
        public func close() { stream.stop(wait: true) }

        deinit { stream.stop(wait: false) }

        /// The PCM devices ALSA knows (its "hints"): name, description and which directions they do.
        /// Empty, not an error, when there is no sound card.
        public static func availableDevices() -> [(name: String, description: String, capture: Bool, playback: Bool)] {
            ALSAStream.availableDevices()
        }
    }

    /// The loudspeaker side of an ALSA PCM: `write` appends to a short ring buffer that a writer
    /// thread drains into the device, padding with silence when the far end goes quiet.
    public final class ALSAPlayback: AudioSink {
        public let device: String
        private let stream: ALSAStream

        /// Opens `device` for playback at 8 kHz mono 16-bit (ALSA's plug layer converts).
        public init(device: String) throws(AudioDeviceError) {
            self.device = device
            stream = try ALSAStream(device: device, capture: false)
            stream.start()
        }

        public func write(_ samples: [Int16]) {
            stream.shared.withLockedValue { $0.ring.append(samples) }
        }

        public func close() { stream.stop(wait: true) }

        deinit { stream.stop(wait: false) }

        public static func availableDevices() -> [(name: String, description: String, capture: Bool, playback: Bool)] {
            ALSAStream.availableDevices()
        }
    }

    /// One open PCM and the thread that moves samples between it and the ring buffer. The thread
    /// owns the handle and closes it when it stops, so the device is released even when the
    /// capture or playback object is dropped without `close`.
    final class ALSAStream: @unchecked Sendable {
        struct Shared {
            var ring = SampleRing(capacity: 1600)  // 200 ms; beyond that the oldest samples go
            var stopping = false
        }

        /// How long ALSA may buffer, in microseconds (three 20 ms frames).
        static let latency: UInt32 = 60_000
        /// How long the thread waits on the device before checking whether it should stop (ms).
        static let pollMilliseconds: Int32 = 20

        let device: String
        let capture: Bool
        let shared = NIOLockedValueBox(Shared())
        private let pcm: OpaquePointer
        private let finished = DispatchSemaphore(value: 0)
        /// The device buffer, in frames (what ALSA made of the 60 ms asked for).
        private let bufferFrames: Int

        init(device: String, capture: Bool) throws(AudioDeviceError) {
            calsa_silence_errors()
            self.device = device
            self.capture = capture
            var handle: OpaquePointer?
            let direction = capture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK
            let opened = snd_pcm_open(&handle, device, direction, SND_PCM_NONBLOCK)
            guard opened >= 0, let handle else {
                throw AudioDeviceError.alsa(device: device, capture: capture, verb: "open", code: opened)
            }
            let configured = snd_pcm_set_params(
                handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(AudioFormat.sampleRate), 1,
                Self.latency)
            if configured < 0 {
                snd_pcm_close(handle)
                throw AudioDeviceError.alsa(
                    device: device, capture: capture, verb: "set", code: configured, detail: " to 8 kHz mono 16-bit")
            }
            pcm = handle
            var buffer: snd_pcm_uframes_t = 0
            var period: snd_pcm_uframes_t = 0
            bufferFrames = snd_pcm_get_params(handle, &buffer, &period) == 0 && buffer > 0 ? Int(buffer) : 480
        }

        func start() {
            let thread = Thread { [self] in
                if capture { captureLoop() } else { playbackLoop() }
                snd_pcm_drop(pcm)
                snd_pcm_close(pcm)
                finished.signal()
            }
            thread.name = "ALSA \(capture ? "capture" : "playback") \(device)"
            thread.start()
        }

        func stop(wait: Bool) {
            let first = shared.withLockedValue { shared in
                defer { shared.stopping = true }
                return !shared.stopping
            }
            if first && wait { _ = finished.wait(timeout: .now() + .seconds(1)) }
        }

        private var stopping: Bool { shared.withLockedValue { $0.stopping } }

        private func captureLoop() {
            let frames = AudioFormat.frameSamples
            var buffer = [Int16](repeating: 0, count: frames)
            snd_pcm_start(pcm)
            while !stopping {
                let got = buffer.withUnsafeMutableBytes {
                    snd_pcm_readi(pcm, $0.baseAddress, snd_pcm_uframes_t(frames))
                }
                if got > 0 {
                    let full = shared.withLockedValue { shared in
                        shared.ring.append(buffer[0..<got])
                        return shared.ring.count == shared.ring.capacity
                    }
                    // Nobody is reading (or the device never says "not yet", as ALSA's "null" does).
                    if full { usleep(10_000) }
                } else if got == -Int(EAGAIN) || got == 0 {
                    snd_pcm_wait(pcm, Self.pollMilliseconds)
                } else {
                    recover(Int32(got))
                    snd_pcm_start(pcm)
                }
            }
        }

        private func playbackLoop() {
            let frames = AudioFormat.frameSamples
            var pending: [Int16] = []
            var offset = 0
            while !stopping {
                if offset == pending.count {
                    pending = shared.withLockedValue { $0.ring.take(3 * frames) }
                    offset = 0
                    if pending.isEmpty {
                        // Nothing to play: look again in 5 ms, and keep a running device fed meanwhile
                        // (with under one frame queued, a frame of silence).
                        usleep(5000)
                        let avail = snd_pcm_avail_update(pcm)
                        guard snd_pcm_state(pcm) == SND_PCM_STATE_RUNNING, avail >= bufferFrames - frames else {
                            continue
                        }
                        pending = [Int16](repeating: 0, count: frames)
                    }
                }
                let written = pending.withUnsafeBytes { bytes in
                    snd_pcm_writei(
                        pcm, bytes.baseAddress.map { $0 + offset * 2 }, snd_pcm_uframes_t(pending.count - offset))
                }
                if written > 0 {
                    offset += written
                } else if written == -Int(EAGAIN) || written == 0 {
                    snd_pcm_wait(pcm, Self.pollMilliseconds)
                } else {
                    recover(Int32(written))
                }
            }
        }

        /// After an overrun or underrun (-EPIPE) or a suspend, prepares the stream again; when
        /// that fails too (the device went away), waits a little rather than spin.
        private func recover(_ code: Int32) {
            if snd_pcm_recover(pcm, code, 1) < 0 { usleep(100_000) }
        }

        static func availableDevices() -> [(name: String, description: String, capture: Bool, playback: Bool)] {
            calsa_silence_errors()
            var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
            guard snd_device_name_hint(-1, "pcm", &hints) == 0, let hints else { return [] }
            defer { snd_device_name_free_hint(hints) }
            func text(_ hint: UnsafeMutableRawPointer, _ id: String) -> String? {
                guard let value = snd_device_name_get_hint(hint, id) else { return nil }
                defer { free(value) }
                return String(cString: value)
            }
            var devices: [(name: String, description: String, capture: Bool, playback: Bool)] = []
            var index = 0
            while let hint = hints[index] {
                index += 1
                guard let name = text(hint, "NAME") else { continue }
                let description = (text(hint, "DESC") ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
                let direction = text(hint, "IOID")  // nil: both
                devices.append(
                    (
                        name, description, direction == nil || direction == "Input",
                        direction == nil || direction == "Output"
                    ))
            }
            return devices
        }
    }

    extension AudioDeviceError {
        /// `cannot open ALSA capture device "hw:1": No such file or directory (set [sipterm] audio_input; …)`
        static func alsa(
            device: String, capture: Bool, verb: String, code: Int32, detail: String = ""
        ) -> AudioDeviceError {
            let reason = snd_strerror(code).map { String(cString: $0) } ?? "error \(code)"
            return AudioDeviceError(
                device: device,
                "cannot \(verb) ALSA \(capture ? "capture" : "playback") device \"\(device)\"\(detail): \(reason) "
                    + "(set [sipterm] \(capture ? "audio_input" : "audio_output"); \"sipterm devices\" lists them)")
        }
    }
#endif
