import NIOConcurrencyHelpers

/// Records a call's incoming audio to a 16-bit PCM mono 8 kHz WAV file.
///
/// `write` appends to a memory buffer; about once a second of audio the buffer goes to the file
/// in one write (16 KB) and the header's sizes are brought up to date, so a recording cut short
/// by a crash is still a valid file up to the last flush. `close` writes the rest. Errors after
/// opening cannot be thrown from the audio thread: the first one stops the recording and is
/// kept in `error`.
public final class WAVFileSink: AudioSink {
    public let path: String
    /// Samples buffered before they go to the file: one second.
    public static let flushSamples = AudioFormat.sampleRate

    private struct State {
        var fd: Int32?
        var buffer: [UInt8] = []
        var samplesWritten = 0
        var bytesOnDisk = 0
        var error: WAVError?
    }

    private let state: NIOLockedValueBox<State>

    /// Creates (or replaces) the file, mode 0644, and writes a header for an empty recording.
    public init(path: String) throws(WAVError) {
        self.path = path
        let header = WAVFile.header(sampleRate: AudioFormat.sampleRate, channels: 1, dataBytes: 0)
        let fd: Int32
        do throws(PosixFile.Failure) {
            fd = try PosixFile.create(path: path, mode: 0o644)
            do throws(PosixFile.Failure) {
                try PosixFile.writeAll(fd: fd, header)
            } catch {
                _ = try? PosixFile.closeFile(fd)
                throw error
            }
        } catch {
            throw WAVError(path: path, .io(error.message))
        }
        var state = State(fd: fd)
        state.buffer.reserveCapacity(2 * Self.flushSamples + 2 * AudioFormat.frameSamples)
        self.state = NIOLockedValueBox(state)
    }

    deinit { close() }

    /// Samples accepted so far (including those still buffered).
    public var samplesWritten: Int { state.withLockedValue { $0.samplesWritten } }

    /// The first failure while writing or closing, if any; the recording stopped there.
    public var error: WAVError? { state.withLockedValue { $0.error } }

    public func write(_ samples: [Int16]) {
        state.withLockedValue { state in
            guard state.fd != nil, state.error == nil else { return }
            // A RIFF file cannot describe more than 4 GiB; stop short of it.
            guard 44 + 2 * (state.samplesWritten + samples.count) <= Int(UInt32.max) else {
                state.error = WAVError(path: path, .io("recording reached the 4 GiB WAV limit"))
                return
            }
            WAVFile.appendLittleEndian(samples, to: &state.buffer)
            state.samplesWritten += samples.count
            if state.buffer.count >= 2 * Self.flushSamples { flush(&state) }
        }
    }

    /// Writes what is buffered and the final sizes, and closes the file. Later calls do nothing.
    public func close() {
        state.withLockedValue { state in
            guard let fd = state.fd else { return }
            flush(&state)
            state.fd = nil
            do throws(PosixFile.Failure) {
                try PosixFile.closeFile(fd)
            } catch {
                if state.error == nil { state.error = WAVError(path: path, .io(error.message)) }
            }
        }
    }

    /// Appends the buffer and rewrites both size fields. Called with the lock held.
    private func flush(_ state: inout State) {
        guard let fd = state.fd, state.error == nil else { return }
        do throws(PosixFile.Failure) {
            if !state.buffer.isEmpty {
                try PosixFile.writeAll(fd: fd, state.buffer)
                state.bytesOnDisk += state.buffer.count
                state.buffer.removeAll(keepingCapacity: true)
            }
            var riff: [UInt8] = []
            WAVFile.put32(UInt32(clamping: 36 + state.bytesOnDisk), &riff)
            var data: [UInt8] = []
            WAVFile.put32(UInt32(clamping: state.bytesOnDisk), &data)
            try PosixFile.writeAll(fd: fd, riff, at: WAVFile.riffSizeOffset)
            try PosixFile.writeAll(fd: fd, data, at: WAVFile.dataSizeOffset)
        } catch {
            state.error = WAVError(path: path, .io(error.message))
        }
    }
}
