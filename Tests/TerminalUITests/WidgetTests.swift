import Testing

@testable import TerminalUI

/// Columns `from..<to` of a rendered row, for widgets drawn in the middle of the screen.
func columns(_ buffer: CellBuffer, _ y: Int, _ from: Int, _ to: Int) -> String {
    var text = ""
    for x in from..<to { text += buffer[x, y].text }
    return text
}

@Suite("Widgets")
struct WidgetTests {
    let bold = Style(attributes: .bold)
    let reverse = Style(attributes: .reverse)

    @Test func paneBorderAndTitle() {
        var buffer = CellBuffer(width: 20, height: 5)
        Pane(title: "Calls").render(into: &buffer, area: buffer.area)
        #expect(
            buffer.text == """
                ┌ Calls ───────────┐
                │                  │
                │                  │
                │                  │
                └──────────────────┘
                """)
        Pane(title: "Calls", focused: true, style: Style(fg: .white), focusedStyle: Style(fg: .cyan, attributes: .bold))
            .render(into: &buffer, area: buffer.area)
        #expect(buffer.line(0) == "╔ Calls ═══════════╗")
        #expect(buffer.line(4) == "╚══════════════════╝")
        #expect(buffer[0, 0].style == Style(fg: .cyan, attributes: .bold))
        #expect(buffer[3, 0].style == bold)
        #expect(Pane.inner(buffer.area) == Rect(x: 1, y: 1, width: 18, height: 3))
    }

    @Test func paneTinyAndFullScreen() {
        var tiny = CellBuffer(width: 6, height: 3)
        Pane(title: "Accounts").render(into: &tiny, area: tiny.area)
        #expect(tiny.text == "┌ Ac…┐\n│    │\n└────┘")
        var screen = CellBuffer(width: 80, height: 24)
        let columns = Layout.horizontal(screen.area, [.percent(40), .fill])
        Pane(title: "Accounts").render(into: &screen, area: columns[0])
        Pane(title: "SIP trace", focused: true).render(into: &screen, area: columns[1])
        #expect(
            screen.line(0) == "┌ Accounts " + String(repeating: "─", count: 20) + "┐╔ SIP trace "
                + String(repeating: "═", count: 35) + "╗")
        #expect(
            screen.line(12) == "│" + String(repeating: " ", count: 30) + "│║" + String(repeating: " ", count: 46) + "║")
    }

    @Test func listScrollsToTheSelectionWithMoreMarks() {
        let items = (0..<10).map { "item \($0)" }
        var buffer = CellBuffer(width: 20, height: 4)
        let list = ListView(items: items, selected: 7)
        #expect(list.render(into: &buffer, area: buffer.area) == 4)
        #expect(
            buffer.text == """
                item 4        ↑ more
                item 5              
                item 6              
                item 7        ↓ more
                """)
        #expect(buffer[0, 3].style == reverse)
        #expect(buffer[10, 3].style == reverse)
        #expect(buffer[0, 2].style == Style())
        #expect(buffer[14, 0].style == Style(attributes: .dim))
        #expect(ListView(items: items, selected: 5, offset: 4).visibleOffset(rows: 4) == 4)
        #expect(ListView(items: items, selected: 2, offset: 4).visibleOffset(rows: 4) == 2)
        #expect(ListView(items: items, selected: nil, offset: 50).visibleOffset(rows: 4) == 6)
    }

    @Test func listFitsAndTruncatesWhenTiny() {
        var screen = CellBuffer(width: 80, height: 24)
        let list = ListView(items: ["alice 中文", "bob"], selected: 1)
        #expect(list.render(into: &screen, area: Rect(x: 1, y: 1, width: 78, height: 22)) == 0)
        #expect(screen.line(1) == " alice 中文" + String(repeating: " ", count: 69))
        #expect(screen.line(2) == " bob" + String(repeating: " ", count: 76))
        #expect(screen[78, 2].style == reverse)
        #expect(screen[79, 2].style == Style())
        #expect(!screen.text.contains("more"))
        var tiny = CellBuffer(width: 5, height: 2)
        ListView(items: ["item 1", "item 2", "item 3"], selected: 2).render(into: &tiny, area: tiny.area)
        #expect(tiny.text == "item…\nitem…")
    }

    @Test func textInputEditsGraphemes() {
        var input = TextInput()
        input.insert("ab")
        input.insert("中")
        input.insert("e\u{301}")
        #expect(input.value == "ab中é")
        #expect(input.cursor == 4)
        input.left()
        input.left()
        input.backspace()
        #expect(input.value == "a中é")
        #expect(input.cursor == 1)
        input.delete()
        #expect(input.value == "aé")
        input.home()
        input.left()
        #expect(input.cursor == 0)
        input.insert("¶€")
        #expect(input.value == "¶€aé")
        #expect(input.cursor == 2)
        input.end()
        input.right()
        #expect(input.cursor == 4)
        input.backspace()
        input.insert("e")
        input.insert("\u{301}")
        #expect(input.value == "¶€aé")
        #expect(input.cursor == 4)
        input.delete()
        #expect(input.value == "¶€aé")
        input.insert("👩‍💻")
        input.left()
        input.backspace()
        #expect(input.value == "¶€a👩‍💻")
    }

    @Test func textInputHistory() {
        var input = TextInput(history: ["alice", "bob"])
        input.insert("ca")
        input.historyUp()
        #expect(input.value == "bob")
        #expect(input.cursor == 3)
        input.historyUp()
        input.historyUp()
        #expect(input.value == "alice")
        input.historyDown()
        #expect(input.value == "bob")
        input.historyDown()
        #expect(input.value == "ca")
        input.historyDown()
        #expect(input.value == "ca")
        #expect(input.submit() == "ca")
        #expect(input.value.isEmpty && input.cursor == 0)
        #expect(input.history == ["alice", "bob", "ca"])
        #expect(input.submit() == "")
        #expect(input.history.count == 3)
    }

    @Test func textInputScrollsToKeepTheCursorVisible() {
        var buffer = CellBuffer(width: 8, height: 1)
        var input = TextInput(value: "hello world")
        #expect(input.render(into: &buffer, area: buffer.area) == 7)
        #expect(buffer.line(0) == "o world ")
        #expect(buffer[7, 0].style == reverse)
        #expect(buffer[6, 0].style == Style())
        input.home()
        #expect(input.render(into: &buffer, area: buffer.area) == 0)
        #expect(buffer.line(0) == "hello wo")
        #expect(buffer[0, 0] == Cell(text: "h", style: reverse))

        var wide = CellBuffer(width: 6, height: 1)
        var cjk = TextInput(value: "中文中文")
        #expect(cjk.render(into: &wide, area: wide.area) == 4)
        #expect(wide.line(0) == "中文  ")
        cjk.home()
        cjk.render(into: &wide, area: wide.area)
        #expect(wide.line(0) == "中文中")
        #expect(wide[0, 0].style == reverse)
        #expect(wide[2, 0].style == Style())

        var screen = CellBuffer(width: 80, height: 24)
        #expect(
            TextInput(value: "sip:bob@example.com").render(into: &screen, area: Rect(x: 2, y: 23, width: 78, height: 1))
                == 21)
        #expect(screen.line(23) == "  sip:bob@example.com" + String(repeating: " ", count: 59))
    }

    @Test func statusBarKeepsTheRightPart() {
        var buffer = CellBuffer(width: 30, height: 1)
        StatusBar(left: "Registered alice@example.com", right: "1 call").render(into: &buffer, area: buffer.area)
        #expect(buffer.line(0) == "Registered alice@examp… 1 call")
        #expect((0..<30).allSatisfy { buffer[$0, 0].style == reverse })
        var screen = CellBuffer(width: 80, height: 24)
        StatusBar(left: "Registered alice@example.com", right: "1 call", style: Style(fg: .black, bg: .cyan))
            .render(into: &screen, area: Rect(x: 0, y: 22, width: 80, height: 1))
        #expect(screen.line(22) == "Registered alice@example.com" + String(repeating: " ", count: 46) + "1 call")
        #expect(screen[50, 22].style == Style(fg: .black, bg: .cyan))
        #expect(screen[50, 21].style == Style())
    }

    @Test func keyHintBarDropsWhatDoesNotFit() {
        let bar = KeyHintBar(items: [("F1", "Help"), ("q", "Quit"), ("Tab", "Next pane")])
        var screen = CellBuffer(width: 80, height: 24)
        bar.render(into: &screen, area: Rect(x: 0, y: 23, width: 80, height: 1))
        #expect(screen.line(23) == "F1 Help  q Quit  Tab Next pane" + String(repeating: " ", count: 50))
        var tiny = CellBuffer(width: 16, height: 1)
        bar.render(into: &tiny, area: tiny.area)
        #expect(tiny.line(0) == "F1 Help  q Quit ")
        #expect(tiny[0, 0].style == reverse)
        #expect(tiny[1, 0].style == reverse)
        #expect(tiny[2, 0].style == Style())
        #expect(tiny[9, 0] == Cell(text: "q", style: reverse))
        var none = CellBuffer(width: 6, height: 1)
        bar.render(into: &none, area: none.area)
        #expect(none.line(0) == "      ")
    }

    @Test func dialogIsCentred() {
        let dialog = Dialog(
            title: "Hang up?", lines: ["End the call with bob?"], buttons: ["Yes", "No"], selectedButton: 1)
        var screen = CellBuffer(width: 80, height: 24)
        screen.put(String(repeating: "x", count: 80), at: 0, y: 10)
        dialog.render(into: &screen, area: screen.area)
        #expect(dialog.frame(in: screen.area) == Rect(x: 27, y: 9, width: 26, height: 5))
        #expect(columns(screen, 9, 27, 53) == "╔ Hang up? ══════════════╗")
        #expect(columns(screen, 10, 26, 54) == "x║ End the call with bob? ║x")
        #expect(columns(screen, 11, 27, 53) == "║                        ║")
        #expect(columns(screen, 12, 27, 53) == "║    [ Yes ]  [ No ]     ║")
        #expect(columns(screen, 13, 27, 53) == "╚════════════════════════╝")
        #expect(screen[41, 12] == Cell(text: "[", style: reverse))
        #expect(screen[32, 12] == Cell(text: "[", style: Style()))

        var tiny = CellBuffer(width: 20, height: 6)
        dialog.render(into: &tiny, area: tiny.area)
        #expect(
            tiny.text == """
                ╔ Hang up? ════════╗
                ║ End the call wi… ║
                ║                  ║
                ║ [ Yes ]  [ No ]  ║
                ╚══════════════════╝
                                    
                """)
    }

    @Test func logViewFollowsTheTailUnlessScrolledUp() {
        var log = LogView(lines: (1...10).map { "l\($0)" })
        var buffer = CellBuffer(width: 4, height: 3)
        log.render(into: &buffer, area: buffer.area)
        #expect(buffer.text == "l8  \nl9  \nl10 ")
        log.scrollUp(2)
        log.append("l11")
        #expect(!log.isFollowing)
        log.render(into: &buffer, area: buffer.area)
        #expect(buffer.text == "l6  \nl7  \nl8  ")
        log.scrollToEnd()
        log.append("l12")
        log.render(into: &buffer, area: buffer.area)
        #expect(buffer.text == "l10 \nl11 \nl12 ")
        log.scrollUp(100)
        log.render(into: &buffer, area: buffer.area)
        #expect(buffer.text == "l1  \n    \n    ")
        log.scrollDown(100)
        #expect(log.isFollowing)

        var screen = CellBuffer(width: 80, height: 24)
        LogView(lines: ["REGISTER sip:example.com SIP/2.0", String(repeating: "v", count: 100)])
            .render(into: &screen, area: Rect(x: 1, y: 1, width: 78, height: 22))
        #expect(screen.line(1) == " REGISTER sip:example.com SIP/2.0" + String(repeating: " ", count: 47))
        #expect(screen.line(2) == " " + String(repeating: "v", count: 77) + "… ")
        #expect(screen.line(3).allSatisfy { $0 == " " })
    }

    @Test func tooSmallSaysWhatIsNeeded() {
        let tooSmall = TooSmall()
        #expect(tooSmall.fits(Rect(x: 0, y: 0, width: 80, height: 24)))
        #expect(tooSmall.fits(Rect(x: 0, y: 0, width: 60, height: 16)))
        #expect(!tooSmall.fits(Rect(x: 0, y: 0, width: 59, height: 24)))
        #expect(!tooSmall.fits(Rect(x: 0, y: 0, width: 80, height: 15)))
        var buffer = CellBuffer(width: 50, height: 12)
        tooSmall.render(into: &buffer, area: buffer.area)
        #expect(buffer.line(5) == "    terminal too small: need 60×16, have 50×12    ")
        var tiny = CellBuffer(width: 12, height: 3)
        tooSmall.render(into: &tiny, area: tiny.area)
        #expect(tiny.text == "terminal to…\n need 60×16 \n have 12×3  ")
    }
}
