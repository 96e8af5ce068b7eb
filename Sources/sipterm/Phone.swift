import ArgumentParser
import SoftphoneApp

/// The interactive phone (the default command): panes for account, registration, calls, SIP trace
/// and messages. With no account configured it runs on the built-in demo line.
struct Phone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phone", abstract: "Start the softphone (the default when no subcommand is given).",
        discussion: """
            With no account in the config file, sipterm starts a demo line (a SIP service on 127.0.0.1): \
            call echo, ring or busy, send a message to echo; F2 opens the settings to set up a real account. \
            F1 or ? shows the keys; : opens the command line (:call bob, :set register_expires 300, :quit).
            """)

    @Option(help: "The config file (default: $XDG_CONFIG_HOME/sipterm/config.toml).")
    var config: String?

    @Option(name: .customLong("set"), help: "KEY=VALUE on top of the config file (TOML value syntax); repeatable.")
    var assignments: [String] = []

    @Option(help: "A theme by name (default, light, high-contrast, monochrome, …) or a theme file path.")
    var theme: String?

    @Flag(help: "Use the demo line even when an account is configured.")
    var demo = false

    func run() async throws {
        let options = PhoneLauncher.Options(
            configPath: config, assignments: assignments, theme: theme, forceDemo: demo)
        do {
            let status = try await PhoneLauncher.run(options)
            throw ExitCode(status)
        } catch let failure as PhoneLauncher.Failure {
            InputFile.printError("sipterm: \(failure)")
            throw ExitCode(2)
        }
    }
}
