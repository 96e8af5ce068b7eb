/// The number of terminal columns a character takes. Swift counts graphemes, a terminal counts cells:
/// CJK and emoji take two, combining marks ride on their base and take none. Layout and truncation
/// depend on this so that a wide character is never cut in half at a pane's edge.
public enum CharacterWidth {
    /// East Asian Wide and Fullwidth ranges (UAX #11) that are not already covered by emoji presentation.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD,
        0x30000...0x3FFFD,
    ]

    /// Width of one grapheme: 0, 1 or 2. The grapheme's first scalar decides; the rest (combining marks,
    /// zero-width joiners, variation selectors) add nothing, except VS16 which asks for emoji presentation.
    public static func of(_ character: Character) -> Int {
        // Most of a screen is ASCII and box drawing: no Unicode property lookups for them (they were
        // most of the 1 Hz redraw's cost).
        if let ascii = character.asciiValue { return ascii < 0x20 || ascii == 0x7F ? 0 : 1 }
        let scalars = character.unicodeScalars
        if let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex,
            narrowRanges.contains(where: { $0.contains(first.value) })
        {
            return 1
        }
        return byProperties(character)
    }

    /// Single scalars known to take one column: Latin-1 and Latin Extended (but the soft hyphen),
    /// dashes, quotes and the ellipsis, arrows, box drawing, blocks and geometric shapes (but the
    /// two emoji squares at the end).
    static let narrowRanges: [ClosedRange<UInt32>] = [
        0xA0...0xAC, 0xAE...0x2FF, 0x2010...0x2027, 0x2190...0x21FF, 0x2500...0x25FC,
    ]

    /// Width from the first scalar's Unicode properties, for everything not covered above.
    static func byProperties(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return 0 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if first.properties.isEmojiPresentation { return 2 }
        if first.properties.isEmoji && character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if wideRanges.contains(where: { $0.contains(value) }) { return 2 }
        return 1
    }

    /// Width of a string: the sum of its graphemes' widths.
    public static func of(_ string: String) -> Int {
        string.reduce(0) { $0 + of($1) }
    }
}

extension Character {
    /// Terminal columns this grapheme takes (see `CharacterWidth`).
    public var terminalWidth: Int { CharacterWidth.of(self) }
}

extension String {
    /// Terminal columns this string takes (see `CharacterWidth`).
    public var terminalWidth: Int { CharacterWidth.of(self) }
}

extension String {
    /// This string in exactly `width` columns, for table cells: padded with spaces when shorter,
    /// cut with "…" when longer, a wide character never split.
    public func fitted(toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        let total = terminalWidth
        if total <= width { return self + String(repeating: " ", count: width - total) }
        var kept = ""
        var used = 0
        for character in self {
            let columns = character.terminalWidth
            if used + columns > width - 1 { break }
            kept.append(character)
            used += columns
        }
        return kept + "…" + String(repeating: " ", count: width - 1 - used)
    }
}
