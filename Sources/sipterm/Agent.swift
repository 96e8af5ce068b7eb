import ArgumentParser
import Foundation
import SIPUserAgent
import SoftphoneApp

/// `sipterm agent`: the headless user agent, driven by JSON Lines on standard input.
struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the user agent headless: JSON Lines commands on stdin, replies and events on stdout.",
        discussion: """
            Commands: {"id":1,"cmd":"register"}, unregister (all), sendMessage (target, body, contentType), \
            sendOptions (target), set (param, value), get (param), status, wait (event, timeout, session), stop; \
            calls: call (target, extraHeaders, sessionTimersExpires), answer, terminate (status_code), hold, \
            unhold, mute, unmute, sendDTMF (tones, duration, interToneGap, transportType), refer (target or \
            replaces), sendInfo (contentType, body), acceptRefer, rejectRefer — each with "session".
            """)

    @Option(help: "The config file (default: $XDG_CONFIG_HOME/sipterm/config.toml).")
    var config: String?

    @Option(name: .customLong("set"), help: "KEY=VALUE on top of the config file (TOML value syntax); repeatable.")
    var assignments: [String] = []

    @Flag(help: "Also emit every SIP message sent and received as a sipTrace event (credentials masked).")
    var trace = false

    func run() async throws {
        let configuration: Configuration
        do {
            let (loaded, warnings) = try AgentConfiguration.load(path: config, assignments: assignments)
            configuration = loaded
            for warning in warnings { InputFile.printError("sipterm agent: warning: \(warning)") }
        } catch {
            InputFile.printError("sipterm agent: \(error)")
            throw ExitCode(2)
        }
        let media = RTPMediaFactory()
        let ua = UserAgent(configuration: configuration, trace: trace, media: media)
        let agent = HeadlessAgent(ua: ua) { line in
            StandardOutput.writeLine(line)
        }
        let status = await agent.run(commands: StandardInput.lines())
        throw ExitCode(status)
    }
}
