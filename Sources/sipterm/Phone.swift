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

            The call screen is not built yet; the user agent is, headless.
            What works now:
              sipterm agent --set uri=sip:you@example.com --set 'sockets=["wss://example.com/ws"]' \\
                            --set password=…      register, call, answer, hold, transfer, DTMF
                                                  (JSON Lines on stdin/stdout; see sipterm agent --help)
              sipterm devices             the audio devices calls can use ([sipterm] audio_input/audio_output)
              sipterm inspect FILE        show the structure of a raw SIP message (JSON)
              sipterm inspect --format text -   the same for people, reading standard input
            """)
    }
}
