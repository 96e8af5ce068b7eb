import ArgumentParser

/// The `sipterm` command: the softphone, and tools around it as subcommands.
@main
struct Sipterm: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "sipterm",
        abstract: "A SIP softphone for the terminal.",
        version: version,
        subcommands: [Phone.self, Agent.self, Inspect.self, Devices.self],
        defaultSubcommand: Phone.self
    )
}
