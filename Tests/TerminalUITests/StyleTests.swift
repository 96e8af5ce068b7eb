import Testing

@testable import TerminalUI

@Suite("Styles and colour depth")
struct StyleTests {
    @Test func adaptsTo16And8Colours() {
        let red = Style(fg: .indexed(196), bg: .brightBlue, attributes: .bold)
        #expect(red.adapted(to: .c256) == red)
        #expect(red.adapted(to: .c16) == Style(fg: .brightRed, bg: .brightBlue, attributes: .bold))
        #expect(red.adapted(to: .c8) == Style(fg: .red, bg: .blue, attributes: .bold))
        let grey = Style(fg: .indexed(244))
        #expect(grey.adapted(to: .c16).fg == .brightBlack)
        #expect(grey.adapted(to: .c8).fg == .white)
        #expect(Style(fg: .default, bg: .green).adapted(to: .c8) == Style(fg: .default, bg: .green))
    }

    @Test func monochromeKeepsOnlyAttributes() {
        #expect(Style(fg: .green).adapted(to: .monochrome) == Style())
        #expect(Style(fg: .black, attributes: .reverse).adapted(to: .monochrome) == Style(attributes: .reverse))
        let selected = Style(fg: .white, bg: .blue, attributes: .bold)
        #expect(selected.adapted(to: .monochrome) == Style(attributes: [.bold, .reverse]))
    }

    @Test func detectsDepthAndNoColor() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1"], colors: 256) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], colors: 256) == .c256)
        #expect(ColorDepth.detect(environment: [:], colors: 88) == .c16)
        #expect(ColorDepth.detect(environment: [:], colors: 16) == .c16)
        #expect(ColorDepth.detect(environment: [:], colors: 8) == .c8)
        #expect(ColorDepth.detect(environment: ["TERM": "vt100"], colors: 2) == .monochrome)
        #expect(ColorDepth.detect(environment: [:], colors: -1) == .monochrome)
    }
}
