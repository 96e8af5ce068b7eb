import SIPUserAgent
import TerminalUI
import Testing

@testable import SoftphoneApp

@Suite("Settings form: rendering")
struct SettingsRenderTests {
    @Test("draws inside its area only, at 80×24, 200×60 and 60×16", arguments: [(80, 24), (200, 60), (60, 16)])
    func insideArea(width: Int, height: Int) {
        var form = makeForm()
        form.set("register_expires", to: "bad")
        // The area sits inside a larger buffer with a frame of sentinels around it.
        var buffer = CellBuffer(width: width + 4, height: height + 4)
        let sentinel = Style(fg: .magenta)
        buffer.fill(buffer.area, style: sentinel)
        for y in 0..<buffer.height {
            buffer.put(String(repeating: "#", count: buffer.width), at: 0, y: y, style: sentinel)
        }
        let area = Rect(x: 2, y: 2, width: width, height: height)
        for name in ["uri", "password", "sockets", "sipterm.theme", "register_expires"] {
            form.select(name)
            form.render(into: &buffer, area: area, theme: .builtIn)
            for y in 0..<buffer.height {
                for x in 0..<buffer.width where x < area.x || x >= area.maxX || y < area.y || y >= area.maxY {
                    #expect(buffer[x, y].text == "#", "drew at \(x),\(y) outside \(area)")
                }
            }
            let text = buffer.text
            #expect(text.contains("Settings"))
            #expect(text.contains("[ Apply F5 ]"))
            #expect(text.contains(Parameters.named(name)?.fileKey ?? name))
        }
        // The confirm dialog also stays inside.
        form.set("register_expires", to: "300")
        _ = form.handle(.character("a"))
        form.render(into: &buffer, area: area, theme: .builtIn)
        #expect(buffer.text.contains("re-registers"))
        for x in 0..<buffer.width { #expect(buffer[x, 0].text == "#" && buffer[x, 1].text == "#") }
    }

    @Test("80×24 layout: tabs, rows with defaults and effects, help, hints, buttons")
    func layout80() {
        var form = makeForm()
        form.select("register_expires")
        let buffer = form.drawn()
        #expect(buffer.line(0).hasPrefix("╔ Settings "))
        #expect(buffer.line(1).contains("Account"))
        #expect(buffer.line(1).contains("Register"))
        guard let y = buffer.fieldRow("register_expires") else {
            Issue.record("no register_expires row")
            return
        }
        let row = buffer.line(y)
        #expect(row.contains("600 (default)"))
        #expect(row.contains("re-reg"))
        #expect(buffer[2, y].style == Theme.builtIn[.selected])
        #expect(buffer.text.contains("registration lifetime in seconds"))
        #expect(buffer.text.contains("JsSIP: register_expires"))
        #expect(buffer.line(22).contains("[ Apply F5 ]"))
        #expect(buffer.line(20).contains("Enter"))
    }

    @Test("200×60 shows full effect names and full section titles")
    func layoutWide() {
        var form = makeForm()
        form.select("sockets")
        let text = form.drawn(width: 200, height: 60).text
        #expect(text.contains("Calls & session timers"))
        #expect(text.contains("re-register"))
        #expect(text.contains("reconnect"))
        #expect(text.contains("next request"))
        #expect(text.contains("immediate"))
        #expect(text.contains("1. udp://127.0.0.1:5060"))
    }

    @Test("60×16: the selection stays visible when scrolled")
    func layoutSmall() {
        var form = makeForm()
        for parameter in Parameters.all {
            form.select(parameter.name)
            let buffer = form.drawn(width: 60, height: 16)
            // Long names are cut with "…" at this width.
            guard let y = buffer.fieldRow(String(parameter.fileKey.prefix(20))) ?? buffer.fieldRow(parameter.fileKey)
            else {
                Issue.record("\(parameter.name) not visible at 60×16")
                continue
            }
            #expect(y >= 2 && y < 10, "\(parameter.name) at row \(y)")
        }
    }

    @Test("a modified row is marked")
    func modifiedMark() {
        var form = makeForm()
        form.set("display_name", to: "Zed")
        let buffer = form.drawn()
        guard let y = buffer.fieldRow("display_name") else {
            Issue.record("no row")
            return
        }
        #expect(buffer[1, y].text == "*")
        #expect(buffer.line(1).contains("Account*"))
    }

    @Test("too small: a notice instead of a broken form")
    func tooSmall() {
        let form = makeForm()
        let buffer = form.drawn(width: 30, height: 8)
        #expect(buffer.text.contains("too small"))
    }
}
