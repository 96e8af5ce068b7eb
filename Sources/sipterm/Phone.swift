import ArgumentParser

/// The interactive phone (the default command). Until the terminal UI lands it says what this
/// build can do and exits cleanly.
struct Phone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phone", abstract: "Start the softphone (the default when no subcommand is given).")

    func run() throws {
        print(
            """
            sipterm \(Sipterm.version) — a SIP softphone for the terminal

            This build has the SIP message layer; the call screen is not built yet.
            What works now:
              sipterm inspect FILE        show the structure of a raw SIP message (JSON)
              sipterm inspect --format text -   the same for people, reading standard input
            """)
    }
}
