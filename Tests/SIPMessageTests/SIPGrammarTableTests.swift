import Testing

@testable import SIPMessage

/// The byte-class table is static data; here is the RFC 3261 grammar it must say.
@Suite("RFC 3261 byte classes")
struct SIPGrammarTableTests {
    static func grammar() -> [UInt16] {
        typealias C = SIPGrammar.Class
        var table = [C](repeating: [], count: 256)
        func add(_ characters: String, _ classes: C) {
            for byte in characters.utf8 { table[Int(byte)].insert(classes) }
        }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)].insert([.alphanum, .hostname, .scheme]) }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)].insert([.alphanum, .hostname, .scheme]) }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") {
            table[Int(byte)].insert([.alphanum, .hostname, .digit, .hex, .scheme])
        }
        add("abcdefABCDEF", .hex)
        add("-._", .hostname)
        add("+-.", .scheme)
        for index in 0..<256 where table[index].contains(.alphanum) {
            table[index].insert([.token, .unreserved, .word])
        }
        add("-.!%*_+`'~", .token)
        add("-_.!~*'()", .unreserved)
        add("&=+$,;?/", .userExtra)
        add("&=+$,", .passwordExtra)
        add("[]/:&+$", .paramExtra)
        add("[]/?:+$", .headerExtra)
        add(":[]/", .paramValueExtra)
        add("-.!%*_+`'~()<>:\\\"/[]?{}", .word)
        return table.map(\.rawValue)
    }

    @Test func theTableSaysTheGrammar() {
        let grammar = Self.grammar()
        for byte in 0..<256 where SIPGrammar.table[byte] != grammar[byte] {
            Issue.record("byte 0x\(String(byte, radix: 16)): table \(SIPGrammar.table[byte]), grammar \(grammar[byte])")
        }
        #expect(SIPGrammar.table.count == 256)
    }

    @Test func tokenBytesAgreeWithTheTable() {
        for byte in UInt8.min...UInt8.max {
            #expect(SIPGrammar.isTokenByte(byte) == SIPGrammar.is(byte, .token), "byte \(byte)")
        }
    }
}
