import Foundation
import Testing

@testable import SIPMedia

@Suite("WAV file source and sink")
struct WAVFileSourceSinkTests {
    @Test func sourceLoops() throws {
        let path = temporaryWAVPath("loop")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let samples: [Int16] = (1...10).map { Int16($0) }
        try WAVFile.write(samples, to: path)
        let source = try WAVFileSource(path: path)
        #expect(source.samples == samples)
        #expect(source.read(4) == [1, 2, 3, 4])
        #expect(source.read(8) == [5, 6, 7, 8, 9, 10, 1, 2])
        #expect(source.read(25) == Array((3...10).map { Int16($0) } + samples + samples[0..<7]))
        #expect(!source.isFinished)
        source.rewind()
        #expect(source.read(1) == [1])
    }

    @Test func sourceWithoutLoopEndsInSilence() throws {
        let source = WAVFileSource(samples: [1, 2, 3, 4, 5], loop: false)
        #expect(source.read(3) == [1, 2, 3])
        #expect(!source.isFinished)
        #expect(source.read(4) == [4, 5, 0, 0])
        #expect(source.isFinished)
        #expect(source.read(3) == [0, 0, 0])
        #expect(source.read(0) == [])
        #expect(WAVFileSource(samples: []).read(2) == [0, 0])
    }

    @Test func sourceConvertsOnOpen() throws {
        let path = temporaryWAVPath("16k")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try WAVFile.write(sineSamples(440, rate: 16000, count: 16000), to: path, sampleRate: 16000)
        let source = try WAVFileSource(path: path, loop: false)
        #expect(source.samples.count == 8000)
        #expect(source.duration == 1)
        let frame = source.read(4000)
        #expect(Goertzel.dominantFrequency(Array(frame[200...]), candidates: [350, 440, 480, 620]) == 440)
    }

    @Test func sourceErrorsNameTheFile() {
        let path = temporaryWAVPath("absent")
        #expect(throws: WAVError(path: path, .io("No such file or directory"))) {
            try WAVFileSource(path: path)
        }
    }

    @Test func sinkWritesHeaderSizesOnClose() throws {
        let path = temporaryWAVPath("sink")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try WAVFileSink(path: path)
        let tone = ToneGenerator.sine(frequency: 1000)
        var written: [Int16] = []
        // 2.5 s in 20 ms frames: two flushes along the way, the rest on close.
        for _ in 0..<125 {
            let frame = tone.read(AudioFormat.frameSamples)
            written += frame
            sink.write(frame)
        }
        #expect(sink.samplesWritten == 20000)
        // Mid-recording, the file already holds a valid header for what has been flushed.
        let partial = try WAVFile.read(path: path)
        #expect(partial.samples.count == 16000)
        #expect(partial.samples == Array(written[0..<16000]))
        sink.close()
        sink.close()
        sink.write([1, 2, 3])
        #expect(sink.samplesWritten == 20000)
        #expect(sink.error == nil)

        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.count == 44 + 40000)
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        #expect(u32(4) == 36 + 40000)
        #expect(u32(40) == 40000)
        #expect(Array(bytes[0..<44]) == WAVFile.header(sampleRate: 8000, channels: 1, dataBytes: 40000))
        #expect(try WAVFile.read(path: path).samples == written)
    }

    @Test func emptyRecordingIsAValidFile() throws {
        let path = temporaryWAVPath("empty")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try WAVFileSink(path: path)
        sink.close()
        let audio = try WAVFile.read(path: path)
        #expect(audio.samples.isEmpty && audio.sampleRate == 8000 && audio.channels == 1)
    }

    @Test func sinkInAMissingDirectoryIsAnError() {
        #expect(throws: WAVError.self) { try WAVFileSink(path: "/nonexistent/sipterm/recording.wav") }
    }
}
