/// `%HH` escaping of URI components (RFC 3261 §19.1.2): decoded once, never recursively, and
/// re-encoded only where the component's grammar does not allow the character.
enum PercentEncoding {
    /// Decodes `%HH` escapes in `bytes`. Every other byte must be in `allowed` or `extra`, unless
    /// `acceptAny` (text typed by a person, escaped again when written).
    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, allowed: SIPGrammar.Class, extra: String = "",
        what: String, acceptAny: Bool = false
    ) throws -> String {
        var out: [UInt8] = []
        var escaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                    let high = SIPGrammar.hexValue(bytes[index + 1]),
                    let low = SIPGrammar.hexValue(bytes[index + 2])
                else { throw SIPParseError("malformed %-escape in \(what)") }
                if !escaped {
                    escaped = true
                    out.reserveCapacity(bytes.count)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<index]))
                }
                out.append(high << 4 | low)
                index += 3
                continue
            }
            guard SIPGrammar.is(byte, allowed) || extra.utf8.contains(byte) || acceptAny
            else {
                let shown =
                    byte >= 0x20 && byte < 0x7F
                    ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
                throw SIPParseError("character \(shown) is not allowed unescaped in \(what)")
            }
            if escaped { out.append(byte) }
            index += 1
        }
        if !escaped { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw SIPParseError("\(what) decodes to bytes that are not UTF-8")
        }
        return text
    }

    /// Appends `text` to `out`, escaping every byte outside `allowed`.
    static func encode(_ text: String, allowed: SIPGrammar.Class, extra: String = "", into out: inout String) {
        if text.utf8.allSatisfy({ SIPGrammar.is($0, allowed) || extra.utf8.contains($0) }) {
            out += text
            return
        }
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if SIPGrammar.is(byte, allowed) || extra.utf8.contains(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0xF)])
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
    }
}
