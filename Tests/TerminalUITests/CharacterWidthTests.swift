import Testing

@testable import TerminalUI

@Suite("Character display width")
struct CharacterWidthTests {
    @Test func latinAndSymbolsAreOneColumn() {
        #expect("¶€ĸø".terminalWidth == 4)
        for character in "¶€ĸø a1" { #expect(character.terminalWidth == 1) }
        #expect(Character("❤").terminalWidth == 1)
        #expect(Character("©").terminalWidth == 1)
    }

    @Test func eastAsianWideIsTwoColumns() {
        #expect("中文".terminalWidth == 4)
        #expect("한국어".terminalWidth == 6)
        #expect("アイ".terminalWidth == 4)
        #expect("ＡＢ".terminalWidth == 4)
        #expect("\u{3000}".terminalWidth == 2)
    }

    @Test func emojiAreTwoColumns() {
        #expect("😀".terminalWidth == 2)
        #expect("👩‍💻".count == 1)
        #expect("👩‍💻".terminalWidth == 2)
        #expect("👨‍👩‍👧".terminalWidth == 2)
        #expect("🇫🇷🇯🇵".terminalWidth == 4)
        #expect("❤\u{FE0F}".terminalWidth == 2)
        #expect("1\u{FE0F}\u{20E3}".terminalWidth == 2)
    }

    @Test func combiningAndControlAreZero() {
        #expect("cafe\u{301}".count == 4)
        #expect("cafe\u{301}".terminalWidth == 4)
        #expect("\u{301}".terminalWidth == 0)
        #expect("\u{200D}".terminalWidth == 0)
        #expect("\t\n\u{1B}\u{7F}".terminalWidth == 0)
    }

    @Test func fittedPadsCutsAndNeverSplitsAWideCharacter() {
        #expect("ab".fitted(toWidth: 4) == "ab  ")
        #expect("abcdef".fitted(toWidth: 4) == "abc…")
        #expect("山田太郎".fitted(toWidth: 4) == "山… ")
        #expect("山田太郎".fitted(toWidth: 5) == "山田…")
        #expect("¶€ĸøĸø".fitted(toWidth: 6) == "¶€ĸøĸø")
        #expect("cafe\u{301}".fitted(toWidth: 4) == "cafe\u{301}")
        #expect("abc".fitted(toWidth: 0).isEmpty)
        for width in 1...8 { #expect("Zoë 山田 ¶€".fitted(toWidth: width).terminalWidth == width) }
    }

    @Test func theFastPathAgreesWithTheUnicodeProperties() {
        for range in [0x00...0x7F] + CharacterWidth.narrowRanges.map({ Int($0.lowerBound)...Int($0.upperBound) }) {
            for value in range {
                guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
                let character = Character(scalar)
                #expect(
                    CharacterWidth.of(character) == CharacterWidth.byProperties(character),
                    "U+\(String(value, radix: 16))")
            }
        }
        #expect(Character("\u{25FD}").terminalWidth == 2)
        #expect(Character("\u{2194}\u{FE0F}").terminalWidth == 2)
    }
}
