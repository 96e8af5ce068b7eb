/// Why a WAV file could not be read or written: the file, and what was wrong with it.
public struct WAVError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// The operating system refused: opening, reading, writing or closing failed.
        case io(String)
        /// The first four bytes are not "RIFF" (the bytes found, printable).
        case notRIFF(found: String)
        /// A RIFF file, but of another form than "WAVE".
        case notWAVE(found: String)
        /// The file ends inside something it declares.
        case truncated(String)
        /// No "fmt " chunk before the end of the file.
        case missingFormat
        /// No "data" chunk before the end of the file.
        case missingData
        /// The "fmt " chunk is present but inconsistent or out of range.
        case badFormat(String)
        /// A sample encoding this reader does not decode.
        case unsupportedEncoding(formatTag: Int, bitsPerSample: Int)
    }

    public var path: String
    public var problem: Problem

    public init(path: String, _ problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let text: String
        switch problem {
        case .io(let message): text = message
        case .notRIFF(let found): text = "not a RIFF file (starts with \"\(found)\")"
        case .notWAVE(let found): text = "RIFF form is \"\(found)\", not WAVE"
        case .truncated(let what): text = "truncated: \(what)"
        case .missingFormat: text = "no \"fmt \" chunk"
        case .missingData: text = "no \"data\" chunk"
        case .badFormat(let what): text = "bad format: \(what)"
        case .unsupportedEncoding(let tag, let bits):
            text = "unsupported encoding (format tag \(tag), \(bits) bits per sample)"
        }
        return "WAV file \(path): \(text)"
    }
}
