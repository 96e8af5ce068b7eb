import Testing

@testable import TerminalUI

@Suite("Layout")
struct LayoutTests {
    let screen = Rect(x: 0, y: 0, width: 80, height: 24)

    @Test func verticalSplitSumsToTheArea() {
        let rows = Layout.vertical(screen, [.fixed(1), .fill, .fixed(1), .fixed(1)])
        #expect(rows.map(\.height) == [1, 21, 1, 1])
        #expect(rows.map(\.y) == [0, 1, 22, 23])
        #expect(rows.allSatisfy { $0.width == 80 && $0.x == 0 })
        #expect(rows.map(\.height).reduce(0, +) == 24)
    }

    @Test func horizontalSplitByPercentAndFill() {
        let columns = Layout.horizontal(Rect(x: 2, y: 1, width: 76, height: 20), [.percent(30), .fill, .fill])
        #expect(columns.map(\.width) == [22, 27, 27])
        #expect(columns.map(\.x) == [2, 24, 51])
        #expect(columns.map(\.width).reduce(0, +) == 76)
        let thirds = Layout.horizontal(
            Rect(x: 0, y: 0, width: 100, height: 1), [.percent(33), .percent(33), .percent(33)])
        #expect(thirds.map(\.width) == [33, 33, 34])
        #expect(
            Layout.horizontal(Rect(x: 0, y: 0, width: 10, height: 1), [.fill, .fill, .fill]).map(\.width) == [4, 3, 3])
    }

    @Test func tinyAreasClamp() {
        let parts = Layout.horizontal(Rect(x: 0, y: 0, width: 5, height: 1), [.fixed(3), .fixed(4), .fill])
        #expect(parts.map(\.width) == [3, 2, 0])
        #expect(parts.map(\.x) == [0, 3, 5])
        #expect(Layout.vertical(Rect(x: 0, y: 0, width: 5, height: 0), [.fixed(1), .fill]).map(\.height) == [0, 0])
    }
}
