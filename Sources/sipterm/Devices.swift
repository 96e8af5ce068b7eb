import ArgumentParser
import SIPMedia

/// `sipterm devices`: the names `[sipterm] audio_input` and `audio_output` accept, so an error
/// about a device that cannot be opened always has somewhere to point.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the audio devices sipterm can use (for [sipterm] audio_input and audio_output).")

    func run() throws {
        let devices = AudioDevices.availableDevices()
        print("null                 no sound: silence in, nothing out (always available)")
        print("file:PATH.wav        play a WAV file into calls (input) or record calls to it (output)")
        let alsa = devices.filter { $0.name != "null" }
        if alsa.isEmpty {
            print("(no ALSA devices found: this machine has no sound card, or ALSA cannot see it)")
        }
        for device in alsa {
            let directions = [device.capture ? "input" : nil, device.playback ? "output" : nil].compactMap { $0 }
            let summary = device.description.split(separator: "\n").first.map(String.init) ?? ""
            print(
                "\(device.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(directions.joined(separator: "/"))  \(summary)"
            )
        }
    }
}
