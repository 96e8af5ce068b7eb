import CNcurses
import Testing

@testable import TerminalUI

@Suite("Key decoding")
struct KeyDecodingTests {
    @Test func printableCharactersIncludingWideOnes() {
        #expect(Key.decode(code: 0x61, isKeyCode: false) == .character("a"))
        #expect(Key.decode(code: 0x20, isKeyCode: false) == .character(" "))
        #expect(Key.decode(code: 0x0138, isKeyCode: false) == .character("ĸ"))
        #expect(Key.decode(code: 0x96FB, isKeyCode: false) == .character("電"))
        #expect(Key.decode(code: 0x1F600, isKeyCode: false) == .character("😀"))
    }

    @Test func controlCharacters() {
        #expect(Key.decode(code: 13, isKeyCode: false) == .enter)
        #expect(Key.decode(code: 10, isKeyCode: false) == .enter)
        #expect(Key.decode(code: 27, isKeyCode: false) == .escape)
        #expect(Key.decode(code: 127, isKeyCode: false) == .backspace)
        #expect(Key.decode(code: 8, isKeyCode: false) == .backspace)
        #expect(Key.decode(code: 9, isKeyCode: false) == .tab)
        #expect(Key.decode(code: 1, isKeyCode: false) == .ctrl("a"))
        #expect(Key.decode(code: 3, isKeyCode: false) == .ctrl("c"))
        #expect(Key.decode(code: 26, isKeyCode: false) == .ctrl("z"))
        #expect(Key.decode(code: 0, isKeyCode: false) == .ctrl("@"))
        #expect(Key.decode(code: 28, isKeyCode: false) == .ctrl("\\"))
        #expect(Key.decode(code: 31, isKeyCode: false) == .ctrl("_"))
    }

    @Test func invalidCharactersAreDropped() {
        #expect(Key.decode(code: -1, isKeyCode: false) == nil)
        #expect(Key.decode(code: 0x85, isKeyCode: false) == nil)
        #expect(Key.decode(code: 0xD800, isKeyCode: false) == nil)
        #expect(Key.decode(code: 0x11_0000, isKeyCode: false) == nil)
    }

    @Test func keyCodes() {
        let expected: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_HOME, .home),
            (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_DC, .delete),
            (KEY_BACKSPACE, .backspace), (KEY_ENTER, .enter), (KEY_BTAB, .backTab), (KEY_RESIZE, .resize),
            (KEY_F0 + 1, .function(1)), (KEY_F0 + 12, .function(12)), (shim_key_f(63), .function(63)),
        ]
        for (code, key) in expected { #expect(Key.decode(code: code, isKeyCode: true) == key) }
        #expect(Key.decode(code: KEY_F0, isKeyCode: true) == nil)
        #expect(Key.decode(code: KEY_MOUSE, isKeyCode: true) == nil)
        #expect(Key.decode(code: 0x103, isKeyCode: false) == .character("ă"))
    }
}

@Suite("Colour-pair allocation")
struct ColorPairAllocatorTests {
    @Test func defaultColoursUsePairZero() {
        var allocator = ColorPairAllocator(capacity: 4)
        #expect(allocator.pair(fg: -1, bg: -1) == (0, false))
        #expect(allocator.count == 0)
    }

    @Test func pairsAreAllocatedOnDemandAndReused() {
        var allocator = ColorPairAllocator(capacity: 4)
        #expect(allocator.pair(fg: 1, bg: -1) == (1, true))
        #expect(allocator.pair(fg: 0, bg: 3) == (2, true))
        #expect(allocator.pair(fg: 1, bg: -1) == (1, false))
        #expect(allocator.pair(fg: -1, bg: 1) == (3, true))
        #expect(allocator.pair(fg: 0, bg: 3) == (2, false))
        #expect(allocator.count == 3)
    }

    @Test func capacityIsACap() {
        var allocator = ColorPairAllocator(capacity: 2)
        #expect(allocator.pair(fg: 1, bg: 2) == (1, true))
        #expect(allocator.pair(fg: 2, bg: 1) == (2, true))
        #expect(allocator.pair(fg: 3, bg: 4) == (0, false))
        #expect(allocator.pair(fg: 2, bg: 1) == (2, false))
        #expect(allocator.count == 2)
        var none = ColorPairAllocator(capacity: -5)
        #expect(none.pair(fg: 1, bg: 2) == (0, false))
        allocator.reset()
        #expect(allocator.pair(fg: 3, bg: 4) == (1, true))
    }
}
