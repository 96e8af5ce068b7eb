import ArgumentParser
import SIPMessage

#if canImport(Glibc)
    import Glibc
#endif

/// `sipterm inspect FILE`: parse one raw SIP message and print its structure.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse one raw SIP message and print its structure.",
        discussion: "Exit status 0 for a valid message, 1 (with one line on stderr) for an invalid one.")

    @Argument(help: "The message file, or - for standard input.")
    var file: String

    @Option(help: "Output format: json or text.")
    var format: MessageReport.Format = .json

    @Option(help: "Largest message accepted, in bytes.")
    var maxSize: Int = 65_536

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(file, limit: maxSize + 1)
        } catch {
            throw ValidationError("cannot read \(file): \(error)")
        }
        let report = MessageReport(bytes: bytes, format: format, parser: MessageParser(maxMessageSize: maxSize))
        if let output = report.output { print(output) }
        if let error = report.error {
            InputFile.printError(error)
            throw ExitCode(1)
        }
    }
}

extension MessageReport.Format: ExpressibleByArgument {}
