/// Quoted-string writing (RFC 3261 §25.1) shared by display names and header parameters.
enum Quoting {
    /// Writes `text` as a quoted-string: `"` and `\` and control characters become quoted-pairs;
    /// CR and LF, which no quoted-pair can carry, become spaces.
    static func writeQuoted(_ text: String, into out: inout String) {
        out += "\""
        let needsWork = text.utf8.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 == 0x7F }
        if !needsWork {
            out += text
        } else {
            var bytes: [UInt8] = []
            for byte in text.utf8 {
                switch byte {
                case 0x0D, 0x0A: bytes.append(0x20)
                case 0x22, 0x5C, 0x00..<0x09, 0x0B, 0x0C, 0x0E..<0x20, 0x7F:
                    bytes.append(0x5C)
                    bytes.append(byte)
                default: bytes.append(byte)
                }
            }
            out += String(decoding: bytes, as: UTF8.self)
        }
        out += "\""
    }
}
