import Testing

@testable import TerminalUI

@Suite("Cell buffer")
struct CellBufferTests {
    @Test func putWritesTextAndStyle() {
        var buffer = CellBuffer(width: 10, height: 2)
        let bold = Style(attributes: .bold)
        #expect(buffer.put("hello", at: 1, y: 0, style: bold) == 5)
        #expect(buffer.text == " hello    \n          ")
        #expect(buffer[1, 0] == Cell(text: "h", style: bold))
        #expect(buffer[0, 0] == .blank)
        #expect(buffer.put("x", at: 0, y: 5) == 0)
        #expect(buffer.put("abcdefghijkl", at: 8, y: 1) == 2)
        #expect(buffer.line(1) == "        ab")
    }

    @Test func wideCharactersAreNeverSplitAtTheEdge() {
        var buffer = CellBuffer(width: 5, height: 3)
        #expect(buffer.put("ab中文", at: 0, y: 0) == 5)
        #expect(buffer.line(0) == "ab中 ")
        #expect(buffer[2, 0].text == "中")
        #expect(buffer[3, 0].text == "")
        #expect(buffer[4, 0].text == " ")
        #expect(buffer.put("ab中文", at: 0, y: 1, truncate: true) == 5)
        #expect(buffer.line(1) == "ab中…")
        #expect(buffer.put("中文", at: 1, y: 2, maxWidth: 3, truncate: true) == 3)
        #expect(buffer.line(2) == " 中… ")
        #expect(buffer.put("é😀", at: 3, y: 2) == 2)
        #expect(buffer.line(2) == " 中é ")
    }

    @Test func overwritingHalfAWideCharacterClearsTheOtherHalf() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("中文", at: 0, y: 0)
        buffer.put("x", at: 1, y: 0)
        #expect(buffer.line(0) == " x文")
        buffer.put("y", at: 2, y: 0)
        #expect(buffer.line(0) == " xy ")
        buffer.put("中文", at: 0, y: 0)
        buffer.fill(Rect(x: 1, y: 0, width: 2, height: 1))
        #expect(buffer.line(0) == "    ")
    }

    @Test func diffReturnsExactlyTheChangedCells() {
        var old = CellBuffer(width: 10, height: 3)
        old.put("status", at: 0, y: 2)
        #expect(old.diff(from: old).isEmpty)
        var new = old
        new.put("hi", at: 2, y: 1)
        new.put("中", at: 5, y: 0)
        new.put("status", at: 0, y: 2)
        new.setStyle(Rect(x: 9, y: 2, width: 1, height: 1), style: Style(attributes: .reverse))
        let changes = new.diff(from: old)
        #expect(changes.map { [$0.x, $0.y] } == [[5, 0], [2, 1], [3, 1], [9, 2]])
        #expect(changes.map(\.cell.text) == ["中", "h", "i", " "])
        #expect(changes[3].cell.style == Style(attributes: .reverse))
        #expect(new.diff(from: CellBuffer(width: 3, height: 3)).count == 29)
    }

    @Test func fillAndRects() {
        var buffer = CellBuffer(width: 4, height: 3)
        let blue = Style(bg: .blue)
        buffer.fill(Rect(x: 2, y: 1, width: 5, height: 5), style: blue)
        #expect(buffer[3, 2].style == blue)
        #expect(buffer[1, 1].style == Style())
        #expect(buffer.text == "    \n    \n    ")
        #expect(
            Rect(x: 0, y: 0, width: 80, height: 24).centred(width: 20, height: 4)
                == Rect(x: 30, y: 10, width: 20, height: 4))
        #expect(Rect(x: 0, y: 0, width: 3, height: 3).inset(by: 2).isEmpty)
    }
}
