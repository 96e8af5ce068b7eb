import Foundation
import Testing

@testable import SIPMedia

/// A unique path in the temporary directory; the file is removed by the caller's `defer`.
func temporaryWAVPath(_ name: String = "test") -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("sipterm-\(name)-\(UUID().uuidString).wav").path
}

/// Bytes of a WAV file with any format fields, for the reader's tests.
func wavBytes(
    formatTag: UInt16, channels: UInt16, sampleRate: UInt32, bits: UInt16, data: [UInt8],
    extraChunks: [(String, [UInt8])] = []
) -> [UInt8] {
    func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> UInt32(8 * $0)) & 0xFF) } }
    func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] {
        Array(id.utf8) + u32(UInt32(body.count)) + body + (body.count % 2 == 1 ? [0] : [])
    }
    let blockAlign = channels * bits / 8
    let fmt =
        u16(formatTag) + u16(channels) + u32(sampleRate) + u32(sampleRate * UInt32(blockAlign)) + u16(blockAlign)
        + u16(bits)
    var body = Array("WAVE".utf8)
    for (id, bytes) in extraChunks { body += chunk(id, bytes) }
    body += chunk("fmt ", fmt) + chunk("data", data)
    return Array("RIFF".utf8) + u32(UInt32(body.count)) + body
}

/// A sine at `frequency` of peak `level` (fraction of full scale), `count` samples at `rate`.
func sineSamples(_ frequency: Double, rate: Double, count: Int, level: Double = 0.5) -> [Int16] {
    (0..<count).map { Int16((sin(2 * Double.pi * frequency * Double($0) / rate) * level * 32767).rounded()) }
}

@Suite("WAV files")
struct WAVFileTests {
    @Test func roundTripIsExact() throws {
        let path = temporaryWAVPath("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var samples = sineSamples(1000, rate: 8000, count: 8000)
        samples += [Int16.min, Int16.max, 0, -1, 1]
        try WAVFile.write(samples, to: path)
        let audio = try WAVFile.read(path: path)
        #expect(audio.sampleRate == 8000)
        #expect(audio.channels == 1)
        #expect(audio.samples == samples)
        #expect(audio.telephony() == samples)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.count == 44 + 2 * samples.count)
        #expect(Array(bytes) == WAVFile.encode(samples))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    /// 48 kHz stereo with the tone on one channel only: after downmix and resampling, 8 kHz
    /// mono at half the level, the same frequency, and the right length.
    @Test func fortyEightKilohertzStereoIsResampled() throws {
        let path = temporaryWAVPath("48k")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let left = sineSamples(1000, rate: 48000, count: 48000, level: 0.6)
        var data: [UInt8] = []
        for sample in left {
            for value in [sample, 0] {
                data += [UInt8(UInt16(bitPattern: value) & 0xFF), UInt8(UInt16(bitPattern: value) >> 8)]
            }
        }
        let bytes = wavBytes(formatTag: 1, channels: 2, sampleRate: 48000, bits: 16, data: data)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let audio = try WAVFile.read(path: path)
        #expect(audio.sampleRate == 48000 && audio.channels == 2 && audio.frameCount == 48000)
        let mono = audio.telephony()
        #expect(mono.count == 8000)
        let middle = Array(mono[400..<7600])
        #expect(Goertzel.dominantFrequency(middle, candidates: [500, 800, 1000, 1200, 2000]) == 1000)
        let power = Goertzel.power(middle, frequency: 1000)
        #expect(abs(power.squareRoot() - 0.3) < 0.01, "level \(power.squareRoot())")
    }

    @Test(arguments: [44100, 16000, 11025, 6000])
    func otherRatesKeepTheTone(rate: Int) {
        let input = sineSamples(697, rate: Double(rate), count: rate)
        let output = Resampler.convert(input, channels: 1, from: rate, to: 8000)
        #expect(output.count == 8000)
        let middle = Array(output[400..<7600])
        #expect(Goertzel.dominantFrequency(middle, candidates: [697, 770, 852, 941, 1209]) == 697)
        #expect(abs(Goertzel.power(middle, frequency: 697).squareRoot() - 0.5) < 0.01)
    }

    /// 5 kHz cannot be carried at 8 kHz; without the low-pass it would fold to 3 kHz.
    @Test func toneAboveNyquistIsFilteredNotAliased() {
        let input = sineSamples(5000, rate: 48000, count: 48000, level: 0.8)
        let output = Array(Resampler.convert(input, channels: 1, from: 48000, to: 8000)[400..<7600])
        #expect(Goertzel.power(output, frequency: 3000).squareRoot() < 0.8 / 1000)  // below −60 dB
    }

    @Test func eightBitFloatAndG711Encodings() throws {
        let eight = try WAVFile.decode(
            wavBytes(formatTag: 1, channels: 1, sampleRate: 8000, bits: 8, data: [0, 128, 255, 64]))
        #expect(eight.samples == [-32768, 0, 32512, -16384])
        let floats: [Float] = [0, 0.5, -1, 2, .nan]
        let floatData = floats.flatMap { value in (0..<4).map { UInt8((value.bitPattern >> UInt32(8 * $0)) & 0xFF) } }
        let float = try WAVFile.decode(
            wavBytes(formatTag: 3, channels: 1, sampleRate: 22050, bits: 32, data: floatData))
        #expect(float.samples == [0, 16384, -32767, 32767, 0])
        #expect(float.sampleRate == 22050)
        let ulaw = try WAVFile.decode(
            wavBytes(formatTag: 7, channels: 1, sampleRate: 8000, bits: 8, data: [0xFF, 0x80]))
        #expect(ulaw.samples == [0, 32124])
    }

    @Test func unknownChunksAreSkippedAndOddChunksPadded() throws {
        let data: [UInt8] = [0x10, 0x00, 0xF0, 0xFF]
        let bytes = wavBytes(
            formatTag: 1, channels: 1, sampleRate: 8000, bits: 16, data: data,
            extraChunks: [("LIST", Array("INFOISFT".utf8) + [1, 2, 3]), ("junk", [])])
        #expect(try WAVFile.decode(bytes).samples == [16, -16])
    }

    @Test func extensibleFormatIsRead() throws {
        var bytes = wavBytes(formatTag: 1, channels: 1, sampleRate: 16000, bits: 16, data: [1, 0, 2, 0])
        // Rebuild the fmt chunk as WAVE_FORMAT_EXTENSIBLE with the PCM sub-format.
        let fmtAt = 12
        let plain = Array(bytes[(fmtAt + 8)..<(fmtAt + 24)])
        let extensible: [UInt8] =
            [0xFE, 0xFF] + plain[2..<16] + [22, 0, 16, 0, 4, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0x10, 0]
            + [0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
        bytes.replaceSubrange(fmtAt..<(fmtAt + 24), with: Array("fmt ".utf8) + [40, 0, 0, 0] + extensible)
        let audio = try WAVFile.decode(bytes)
        #expect(audio.samples == [1, 2])
        #expect(audio.sampleRate == 16000)
    }

    @Test func partialFrameAtTheEndIsDropped() throws {
        let audio = try WAVFile.decode(
            wavBytes(formatTag: 1, channels: 2, sampleRate: 8000, bits: 16, data: [1, 0, 2, 0, 3, 0]))
        #expect(audio.samples == [1, 2])
    }

    /// Every prefix of a valid file, and some garbage, is an error or audio; never a crash.
    @Test func truncatedFilesAreErrorsNotCrashes() {
        let good = WAVFile.encode(sineSamples(440, rate: 8000, count: 100))
        for length in 0..<good.count {
            #expect(throws: WAVError.self) { try WAVFile.decode(Array(good[0..<length]), path: "cut.wav") }
        }
        #expect(throws: Never.self) { try WAVFile.decode(good) }
        #expect(
            WAVError(path: "cut.wav", .truncated("\"data\" chunk declares 200 bytes but 100 remain")).description
                == "WAV file cut.wav: truncated: \"data\" chunk declares 200 bytes but 100 remain")
        do {
            _ = try WAVFile.decode(Array(good[0..<144]), path: "cut.wav")
            Issue.record("a cut data chunk was accepted")
        } catch {
            #expect(error.path == "cut.wav")
            #expect(error.problem == .truncated("\"data\" chunk declares 200 bytes but 100 remain"))
        }
    }

    @Test func garbageIsAClearError() throws {
        func problem(_ bytes: [UInt8]) -> WAVError.Problem? {
            do {
                _ = try WAVFile.decode(bytes, path: "x.wav")
                return nil
            } catch { return error.problem }
        }
        #expect(problem(Array("hello, this is not a wav file".utf8)) == .notRIFF(found: "hell"))
        #expect(problem(Array("RIFF\u{0}\u{0}\u{0}\u{0}AVI LIST".utf8)) == .notWAVE(found: "AVI "))
        #expect(problem(Array("RIFF\u{4}\u{0}\u{0}\u{0}WAVE".utf8)) == .missingFormat)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = WAVFile.encode([1, 2, 3, 4])
            for _ in 0..<4 { bytes[Int.random(in: 12..<bytes.count, using: &generator)] = .random(in: 0...255) }
            _ = try? WAVFile.decode(bytes)
        }
        let noData = wavBytes(formatTag: 1, channels: 1, sampleRate: 8000, bits: 16, data: [])
        #expect(problem(Array(noData[0..<36])) == .missingData)
        #expect(
            problem(wavBytes(formatTag: 1, channels: 0, sampleRate: 8000, bits: 16, data: []))
                == .badFormat("0 channels"))
        #expect(
            problem(wavBytes(formatTag: 1, channels: 1, sampleRate: 0, bits: 16, data: []))
                == .badFormat("sample rate 0 Hz"))
        #expect(
            problem(wavBytes(formatTag: 2, channels: 1, sampleRate: 8000, bits: 4, data: []))
                == .unsupportedEncoding(formatTag: 2, bitsPerSample: 4))
        #expect(
            problem(wavBytes(formatTag: 1, channels: 1, sampleRate: 8000, bits: 12, data: []))
                == .unsupportedEncoding(formatTag: 1, bitsPerSample: 12))
    }

    @Test func missingFileNamesThePath() {
        let path = "/nonexistent/sipterm/prompt.wav"
        #expect {
            try WAVFile.read(path: path)
        } throws: { error in
            guard let error = error as? WAVError else { return false }
            return error.path == path && error.description.contains(path)
                && error.description.contains("No such file")
        }
    }
}
