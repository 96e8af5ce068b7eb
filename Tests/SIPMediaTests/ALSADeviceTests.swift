import Foundation
import Testing

@testable import SIPMedia

@Suite("ALSA devices and audio settings")
struct ALSADeviceTests {
    /// No sound card here or in CI; on a machine with one, the "default" test has nothing to check.
    static let noSoundCard = !FileManager.default.fileExists(atPath: "/dev/snd")

    @Test func specsParse() {
        #expect(AudioDevices.Spec("null") == .null)
        #expect(AudioDevices.Spec(" NULL ") == .null)
        #expect(AudioDevices.Spec("file:/tmp/in.wav") == .file(path: "/tmp/in.wav"))
        #expect(AudioDevices.Spec("file:greeting 1.wav") == .file(path: "greeting 1.wav"))
        #expect(AudioDevices.Spec("default") == .alsa(device: "default"))
        #expect(AudioDevices.Spec("") == .alsa(device: "default"))
        #expect(AudioDevices.Spec("hw:1") == .alsa(device: "hw:1"))
        #expect(AudioDevices.Spec("plughw:CARD=USB,DEV=0") == .alsa(device: "plughw:CARD=USB,DEV=0"))
    }

    @Test func nullGivesTheNullDevice() throws {
        let source = try AudioDevices.source("null").get()
        #expect(source is NullAudio)
        #expect(source.read(160) == [Int16](repeating: 0, count: 160))
        let sink = try AudioDevices.sink("null").get()
        #expect(sink is NullAudio)
        sink.write([1, 2, 3])
        sink.close()
    }

    @Test func aFileIsAWAVSourceOrSink() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alsa-spec-\(getpid()).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try AudioDevices.sink("file:" + path).get()
        #expect(sink is WAVFileSink)
        sink.write([Int16](repeating: 1234, count: 160))
        sink.close()
        let source = try AudioDevices.source("file:" + path).get()
        #expect(source is WAVFileSource)
        #expect(source.read(160) == [Int16](repeating: 1234, count: 160))
    }

    @Test func aMissingFileNamesItAndTheSetting() {
        switch AudioDevices.source("file:/nonexistent/greeting.wav") {
        case .success: Issue.record("a missing WAV file opened")
        case .failure(let error):
            #expect(error.device == "file:/nonexistent/greeting.wav")
            #expect(error.message.contains("/nonexistent/greeting.wav"))
            #expect(error.message.hasSuffix("(set [sipterm] audio_input)"))
        }
    }

    @Test func aRecordingTeesThePlayedAudio() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alsa-rec-\(getpid()).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try AudioDevices.sink("null", recordingPath: path).get()
        sink.write([Int16](repeating: -77, count: 320))
        sink.close()
        #expect(try WAVFileSource(path: path, loop: false).samples == [Int16](repeating: -77, count: 320))
        if case .success = AudioDevices.sink("null", recordingPath: "/nonexistent/rec.wav") {
            Issue.record("a recording in a missing directory opened")
        }
    }

    #if canImport(CALSA)
        @Test func aMissingCaptureDeviceIsOneSentenceNamingIt() {
            #expect(throws: AudioDeviceError.self) { try ALSACapture(device: "hw:97") }
            do {
                _ = try ALSACapture(device: "hw:97")
            } catch {
                #expect(error.device == "hw:97")
                #expect(error.message.hasPrefix("cannot open ALSA capture device \"hw:97\": "))
                #expect(error.message.hasSuffix("(set [sipterm] audio_input; \"sipterm devices\" lists them)"))
                #expect(!error.message.contains("\n"))
            }
        }

        @Test func aMissingPlaybackDeviceNamesItAndItsSetting() {
            switch AudioDevices.sink("hw:CARD=NoSuchCard") {
            case .success: Issue.record("a card that does not exist opened")
            case .failure(let error):
                #expect(error.device == "hw:CARD=NoSuchCard")
                #expect(error.message.hasPrefix("cannot open ALSA playback device \"hw:CARD=NoSuchCard\": "))
                #expect(error.message.contains("audio_output"))
                #expect(!error.message.contains("\n"))
            }
        }

        @Test(
            .enabled(
                if: noSoundCard, "this machine has a sound card: \"default\" opens, so its failure cannot be shown"))
        func defaultFailsClearlyWithoutASoundCard() {
            switch AudioDevices.source("default") {
            case .success: Issue.record("\"default\" opened with no /dev/snd")
            case .failure(let error):
                #expect(error.device == "default")
                #expect(error.message.contains("ALSA capture device \"default\""))
            }
            switch AudioDevices.sink("default") {
            case .success: Issue.record("\"default\" opened with no /dev/snd")
            case .failure(let error): #expect(error.message.contains("ALSA playback device \"default\""))
            }
        }

        @Test func theNullPCMOpensReadsAndCloses() throws {
            // ALSA's own "null" PCM needs no card, so the threads and ring buffers run here too.
            let capture = try ALSACapture(device: "null")
            let playback = try ALSAPlayback(device: "null")
            for _ in 0..<5 {
                #expect(capture.read(160).count == 160)
                playback.write([Int16](repeating: 1000, count: 160))
                Thread.sleep(forTimeInterval: 0.02)
            }
            capture.close()
            playback.close()
            playback.close()
        }
    #endif

    @Test func listingDevicesDoesNotCrash() {
        let devices = AudioDevices.availableDevices()
        for device in devices { #expect(!device.name.isEmpty) }
    }

    @Test func aRingDropsTheOldestWhenFull() {
        var ring = SampleRing(capacity: 4)
        ring.append([1, 2, 3])
        #expect(ring.take(2) == [1, 2])
        ring.append([4, 5, 6, 7])
        #expect(ring.count == 4)
        #expect(ring.take(10) == [4, 5, 6, 7])
        #expect(ring.take(1).isEmpty)
        ring.append(Array(1...9).map { Int16($0) })
        #expect(ring.take(10) == [6, 7, 8, 9])
    }
}
