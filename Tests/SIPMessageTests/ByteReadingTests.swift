import Testing

@testable import SIPMessage

/// The pieces the parser now reads byte by byte (for speed) keep the grammar they had.
@Suite("Byte-level readers")
struct ByteReadingTests {
    @Test func listsSplitOutsideQuotesAndBrackets() throws {
        #expect(
            try HeaderList.split("<sip:a@x;p=1,2>, \"b, c\" <sip:b@y>,d")
                == ["<sip:a@x;p=1,2>", " \"b, c\" <sip:b@y>", "d"])
        #expect(try HeaderList.split("\"a\\\", b\" <sip:a@x>") == ["\"a\\\", b\" <sip:a@x>"])
        #expect(try HeaderList.split(" \t ").isEmpty)
        for bad in ["a,,b", "a, ", ",a", " , "] {
            #expect(throws: SIPParseError.self, "\(bad)") { try HeaderList.split(Substring(bad)) }
        }
    }

    @Test func theFirstElementIsReadWithoutTheRest() throws {
        #expect(try HeaderList.first("SIP/2.0/UDP a;branch=z9hG4bK1, ,junk") == "SIP/2.0/UDP a;branch=z9hG4bK1")
        #expect(try HeaderList.first("only") == "only")
        #expect(try HeaderList.first("  ") == nil)
        #expect(throws: SIPParseError.self) { try HeaderList.first(", a") }
        // Through a message: the top Via is read although a proxy's Via after it is empty.
        let message = try MessageParser().parse(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKtop, ,\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        guard case .response(let response) = message else {
            Issue.record("not a response")
            return
        }
        #expect(try response.topVia?.branch == "z9hG4bKtop")
        #expect(throws: SIPParseError.self) { try response.via }
    }

    @Test func ipv4AddressesAndHostNames() throws {
        #expect(try Host(parsing: "192.0.2.255") == .ipv4(0xC000_02FF))
        #expect(try Host(parsing: "000.1.02.3") == .ipv4(0x0001_0203))
        for bad in ["256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", "1234.1.1.1"] {
            #expect(throws: SIPParseError.self, "\(bad)") { try Host(parsing: bad) }
        }
        #expect(try Host(parsing: "Voip.EXAMPLE.net") == .domain("voip.example.net"))
        #expect(try Host(parsing: "voip.example.net") == .domain("voip.example.net"))
        #expect(try Host(parsing: "[::ffff:192.0.2.1]") == Host(parsing: "[::FFFF:C000:201]"))
    }

    @Test func callIDsAreOneOrTwoWords() throws {
        #expect(try CallID(parsing: " a1-b2@host.example ").value == "a1-b2@host.example")
        #expect(try CallID(parsing: "abc").value == "abc")
        for bad in ["@host", "a@", "a@b@c", "a b", "", "a\u{00E9}"] {
            #expect(throws: SIPParseError.self, "\(bad)") { try CallID(parsing: Substring(bad)) }
        }
    }

    @Test func asciiCaseAndTrimming() {
        #expect("Transport=TCP".asciiLowercased == "transport=tcp")
        #expect("udp".asciiUppercased == "UDP")
        #expect("ÉcoLE".asciiLowercased == "École")
        #expect("BRANCH".equalsIgnoringASCIICase("branch"))
        #expect(!"branch".equalsIgnoringASCIICase("branc"))
        #expect(!"É".equalsIgnoringASCIICase("é"))
        #expect(" \t value \r\n".trimmingWhitespace == "value")
        #expect("\u{00A0} value é\u{2003}".trimmingWhitespace == "value é")
        #expect("   ".trimmingWhitespace == "")
    }

    @Test func quotedStringsWithAndWithoutEscapes() throws {
        #expect(try NameAddress(parsing: "\"Dana Ortiz\" <sip:dana@x>").displayName == "Dana Ortiz")
        #expect(try NameAddress(parsing: "\"say \\\"hi\\\"\" <sip:dana@x>").displayName == "say \"hi\"")
        #expect(throws: SIPParseError.self) { try NameAddress(parsing: "\"open <sip:dana@x>") }
        #expect(try ContactValue(parsing: " * ") == .wildcard)
        #expect(try ContactValue(parsing: "<sip:a@x>").address?.uri.sipURI?.user == "a")
    }
}
