/// Decoded audio from a WAV file: interleaved 16-bit samples at the file's own rate and channel
/// count. `telephony()` converts it to the one format inside sipterm.
public struct WAVAudio: Sendable, Equatable {
    public var sampleRate: Int
    public var channels: Int
    /// Interleaved: frame 0 channel 0, frame 0 channel 1, …
    public var samples: [Int16]

    public init(sampleRate: Int, channels: Int, samples: [Int16]) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// Sample frames (one sample per channel each).
    public var frameCount: Int { channels > 0 ? samples.count / channels : 0 }

    /// Downmixed to mono and resampled to `AudioFormat.sampleRate`.
    public func telephony() -> [Int16] {
        Resampler.convert(samples, channels: channels, from: sampleRate, to: AudioFormat.sampleRate)
    }
}

/// Reading and writing RIFF/WAVE files.
///
/// The reader takes PCM 8-bit (unsigned), 16-, 24- and 32-bit (signed), IEEE float 32- and
/// 64-bit, G.711 A-law and μ-law, plain or WAVE_FORMAT_EXTENSIBLE, any channel count and rate.
/// Chunks other than "fmt " and "data" are skipped; the RIFF size field is not trusted (many
/// writers get it wrong), but every chunk must fit in the file. The writer produces 16-bit PCM
/// mono, what sipterm records.
public enum WAVFile {
    /// Files larger than this are refused rather than loaded (about 30 minutes of 48 kHz stereo float).
    public static let maximumFileBytes = 512 * 1_048_576

    /// Reads and decodes a WAV file.
    public static func read(path: String) throws(WAVError) -> WAVAudio {
        let bytes: [UInt8]
        do throws(PosixFile.Failure) {
            bytes = try PosixFile.readAll(path: path, limit: maximumFileBytes)
        } catch {
            throw WAVError(path: path, .io(error.message))
        }
        return try decode(bytes, path: path)
    }

    /// Reads a WAV file and converts it to 8 kHz mono.
    public static func readTelephony(path: String) throws(WAVError) -> [Int16] {
        try read(path: path).telephony()
    }

    /// Writes `samples` as a 16-bit PCM mono file, replacing any file at `path` (mode 0644).
    public static func write(
        _ samples: [Int16], to path: String, sampleRate: Int = AudioFormat.sampleRate
    ) throws(WAVError) {
        do throws(PosixFile.Failure) {
            let fd = try PosixFile.create(path: path, mode: 0o644)
            do throws(PosixFile.Failure) {
                try PosixFile.writeAll(fd: fd, encode(samples, sampleRate: sampleRate))
            } catch {
                _ = try? PosixFile.closeFile(fd)
                throw error
            }
            try PosixFile.closeFile(fd)
        } catch {
            throw WAVError(path: path, .io(error.message))
        }
    }

    /// A complete 16-bit PCM mono file.
    public static func encode(_ samples: [Int16], sampleRate: Int = AudioFormat.sampleRate) -> [UInt8] {
        var bytes = header(sampleRate: sampleRate, channels: 1, dataBytes: samples.count * 2)
        bytes.reserveCapacity(bytes.count + samples.count * 2)
        appendLittleEndian(samples, to: &bytes)
        return bytes
    }

    /// The 44-byte canonical header of a 16-bit PCM file whose data chunk holds `dataBytes`.
    static func header(sampleRate: Int, channels: Int, dataBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(44)
        bytes += Array("RIFF".utf8)
        put32(UInt32(clamping: 36 + dataBytes), &bytes)
        bytes += Array("WAVEfmt ".utf8)
        put32(16, &bytes)
        put16(1, &bytes)  // PCM
        put16(UInt16(clamping: channels), &bytes)
        put32(UInt32(clamping: sampleRate), &bytes)
        put32(UInt32(clamping: sampleRate * channels * 2), &bytes)
        put16(UInt16(clamping: channels * 2), &bytes)
        put16(16, &bytes)
        bytes += Array("data".utf8)
        put32(UInt32(clamping: dataBytes), &bytes)
        return bytes
    }

    /// Byte offsets of the two size fields in `header`, which a streaming writer rewrites.
    static let riffSizeOffset = 4
    static let dataSizeOffset = 40

    static func appendLittleEndian(_ samples: [Int16], to bytes: inout [UInt8]) {
        for sample in samples {
            let value = UInt16(bitPattern: sample)
            bytes.append(UInt8(value & 0xFF))
            bytes.append(UInt8(value >> 8))
        }
    }

    static func put16(_ value: UInt16, _ bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    static func put32(_ value: UInt32, _ bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    // MARK: - Decoding

    private enum Encoding {
        case pcm(bytes: Int)
        case float(bytes: Int)
        case alaw
        case ulaw

        var bytesPerSample: Int {
            switch self {
            case .pcm(let bytes), .float(let bytes): bytes
            case .alaw, .ulaw: 1
            }
        }
    }

    private struct Format {
        var encoding: Encoding
        var channels: Int
        var sampleRate: Int
    }

    /// Decodes the bytes of a WAV file; `path` only names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "(memory)") throws(WAVError) -> WAVAudio {
        func fail(_ problem: WAVError.Problem) -> WAVError { WAVError(path: path, problem) }
        guard bytes.count >= 12 else {
            throw fail(.truncated("\(bytes.count) bytes, shorter than the 12-byte RIFF header"))
        }
        guard fourCC(bytes, at: 0) == "RIFF" else { throw fail(.notRIFF(found: fourCC(bytes, at: 0))) }
        guard fourCC(bytes, at: 8) == "WAVE" else { throw fail(.notWAVE(found: fourCC(bytes, at: 8))) }

        var format: Format?
        var data: Range<Int>?
        var offset = 12
        while offset + 8 <= bytes.count, format == nil || data == nil {
            let id = fourCC(bytes, at: offset)
            let declared = Int(get32(bytes, at: offset + 4))
            let body = offset + 8
            let remaining = bytes.count - body
            if id == "data" {
                // 0xFFFFFFFF is what streaming writers leave when they never come back: the rest.
                if declared == 0xFFFF_FFFF {
                    data = body..<bytes.count
                } else if declared > remaining {
                    throw fail(.truncated("\"data\" chunk declares \(declared) bytes but \(remaining) remain"))
                } else {
                    data = body..<(body + declared)
                }
            } else {
                guard declared <= remaining else {
                    throw fail(.truncated("\"\(id)\" chunk declares \(declared) bytes but \(remaining) remain"))
                }
                if id == "fmt " {
                    format = try parseFormat(bytes[body..<(body + declared)], path: path)
                }
            }
            offset = body + declared + (declared & 1)
        }
        guard let format else { throw fail(.missingFormat) }
        guard let data else { throw fail(.missingData) }
        let samples = decodeSamples(bytes[data], format: format)
        return WAVAudio(sampleRate: format.sampleRate, channels: format.channels, samples: samples)
    }

    private static func parseFormat(_ chunk: ArraySlice<UInt8>, path: String) throws(WAVError) -> Format {
        func fail(_ problem: WAVError.Problem) -> WAVError { WAVError(path: path, problem) }
        let start = chunk.startIndex
        guard chunk.count >= 16 else { throw fail(.badFormat("\"fmt \" chunk is \(chunk.count) bytes, needs 16")) }
        var tag = Int(get16(chunk, at: start))
        let channels = Int(get16(chunk, at: start + 2))
        let sampleRate = Int(get32(chunk, at: start + 4))
        let bits = Int(get16(chunk, at: start + 14))
        if tag == 0xFFFE {
            // WAVE_FORMAT_EXTENSIBLE: the real tag opens the sub-format GUID at byte 24.
            guard chunk.count >= 40 else {
                throw fail(.badFormat("extensible \"fmt \" chunk is \(chunk.count) bytes, needs 40"))
            }
            tag = Int(get16(chunk, at: start + 24))
        }
        guard (1...64).contains(channels) else { throw fail(.badFormat("\(channels) channels")) }
        guard (1...1_000_000).contains(sampleRate) else { throw fail(.badFormat("sample rate \(sampleRate) Hz")) }
        let encoding: Encoding
        switch (tag, bits) {
        case (1, 8), (1, 16), (1, 24), (1, 32): encoding = .pcm(bytes: bits / 8)
        case (3, 32), (3, 64): encoding = .float(bytes: bits / 8)
        case (6, 8): encoding = .alaw
        case (7, 8): encoding = .ulaw
        default: throw fail(.unsupportedEncoding(formatTag: tag, bitsPerSample: bits))
        }
        return Format(encoding: encoding, channels: channels, sampleRate: sampleRate)
    }

    /// Every whole sample frame in `data` as 16-bit samples; a partial frame at the end is dropped.
    private static func decodeSamples(_ data: ArraySlice<UInt8>, format: Format) -> [Int16] {
        let width = format.encoding.bytesPerSample
        let frameBytes = width * format.channels
        let count = data.count / frameBytes * format.channels
        return data.withUnsafeBufferPointer { raw in
            [Int16](unsafeUninitializedCapacity: count) { out, initialised in
                for index in 0..<count {
                    let at = index * width
                    switch format.encoding {
                    case .pcm(1):
                        out[index] = Int16(Int(raw[at]) - 128) << 8
                    case .pcm(2):
                        out[index] = Int16(bitPattern: UInt16(raw[at]) | UInt16(raw[at + 1]) << 8)
                    case .pcm(let bytes):
                        // 24 and 32 bits: the top two bytes are the 16-bit sample.
                        out[index] = Int16(bitPattern: UInt16(raw[at + bytes - 2]) | UInt16(raw[at + bytes - 1]) << 8)
                    case .float(4):
                        var bits: UInt32 = 0
                        for byte in 0..<4 { bits |= UInt32(raw[at + byte]) << UInt32(8 * byte) }
                        out[index] = quantise(Double(Float(bitPattern: bits)))
                    case .float:
                        var bits: UInt64 = 0
                        for byte in 0..<8 { bits |= UInt64(raw[at + byte]) << UInt64(8 * byte) }
                        out[index] = quantise(Double(bitPattern: bits))
                    case .alaw:
                        out[index] = G711.linear(alaw: raw[at])
                    case .ulaw:
                        out[index] = G711.linear(ulaw: raw[at])
                    }
                }
                initialised = count
            }
        }
    }

    /// A float sample (full scale ±1) as a 16-bit sample; NaN is silence, overs are clipped.
    static func quantise(_ value: Double) -> Int16 {
        guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? .max : .min) }
        return Int16(clamping: Int((value * 32767).rounded()))
    }

    private static func fourCC(_ bytes: [UInt8], at offset: Int) -> String {
        String(decoding: bytes[offset..<(offset + 4)].map { (0x20..<0x7F).contains($0) ? $0 : 0x3F }, as: UTF8.self)
    }

    private static func get16(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func get32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        get32(bytes[...], at: offset)
    }

    private static func get32(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }
}
