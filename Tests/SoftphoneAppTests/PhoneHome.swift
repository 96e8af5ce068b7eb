import Foundation
import TestSupport

/// A temporary HOME (and XDG_CONFIG_HOME) for one run of the phone in tmux: empty, so plain
/// `sipterm` finds no account and starts the demo line, or holding `config.toml` for one of
/// Kamailio's users over UDP (no audio device needed).
struct PhoneHome {
    let path: String
    let user: String?
    var config: String { path + "/config.toml" }

    init(account user: String? = nil) throws {
        self.user = user
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sipterm-phone-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard let user else { return }
        let text = """
            uri = "sip:\(user)@sipterm.test"
            sockets = ["\(try Kamailio.shared.url(.udp))"]
            password = "\(user)-secret"

            [sipterm]
            audio_input = "null"
            audio_output = "null"

            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
    }

    func read() throws -> String { try String(contentsOfFile: config, encoding: .utf8) }

    /// `command` (sipterm with `arguments` by default; with an account, on its config file) in a
    /// `width`×`height` terminal whose HOME is this one; Kamailio is started first for an account.
    func start(
        _ arguments: [String] = [], command: [String]? = nil, width: Int = 120, height: Int = 40
    ) async throws -> TmuxSession {
        if user != nil { _ = try await Kamailio.running() }
        let account = user == nil ? [] : ["--config", config]
        return try await TmuxSession.start(
            command ?? [try Binaries.sipterm()] + account + arguments, width: width, height: height,
            environment: ["XDG_CONFIG_HOME": path, "HOME": path])
    }
}
