extension StringProtocol {
    /// The text without leading and trailing whitespace.
    public var trimmingWhitespace: String {
        // ASCII ends (what SIP text has) are trimmed byte by byte; others go by Character.
        var text = Substring(self)
        let utf8 = text.utf8
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80 {
            func space(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
            guard let lower = utf8.firstIndex(where: { !space($0) }) else { return "" }
            guard let upper = utf8.lastIndex(where: { !space($0) }) else { return "" }
            if utf8[lower] < 0x80 && utf8[upper] < 0x80 { return String(text[lower...upper]) }
        }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
