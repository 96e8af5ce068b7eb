import Testing

@testable import SIPMessage

@Suite("Name-addr and display names")
struct NameAddressTests {
    @Test func multiByteDisplayNameRoundTrip() throws {
        let address = NameAddress(
            displayName: "Alice ¶€ĸøĸø", uri: SIPURI(user: "alice", host: .domain("sipterm.test")))
        #expect(address.description == "\"Alice ¶€ĸøĸø\" <sip:alice@sipterm.test>")
        #expect(try NameAddress(parsing: address.description) == address)
    }

    @Test func quotesAndBackslashesEscaped() throws {
        let address = NameAddress(
            displayName: #"Bob "the \ builder""#, uri: SIPURI(user: "bob", host: .domain("x")),
            parameters: [Parameter("tag", "9")])
        #expect(address.description == #""Bob \"the \\ builder\"" <sip:bob@x>;tag=9"#)
        #expect(try NameAddress(parsing: address.description) == address)
    }

    @Test func controlCharactersCannotBreakTheHeader() throws {
        let address = NameAddress(displayName: "evil\r\nVia: x", uri: SIPURI(host: .domain("x")))
        #expect(!address.description.contains("\r"))
        #expect(!address.description.contains("\n"))
        #expect(try NameAddress(parsing: address.description).displayName == "evil  Via: x")
    }

    @Test func tokenDisplayNamesCollapseWhitespace() throws {
        let address = try NameAddress(parsing: "  A.   Bell <sip:a@x>;tag=1")
        #expect(address.displayName == "A. Bell")
        #expect(address.tag == "1")
    }

    @Test func addrSpecParametersBelongToTheHeader() throws {
        let address = try NameAddress(parsing: "sip:a@x;tag=abc")
        #expect(address.uri.sipURI?.parameters.isEmpty == true)
        #expect(address.tag == "abc")
        #expect(address.description == "<sip:a@x>;tag=abc")
    }

    @Test(arguments: [
        "\"unterminated <sip:a@x>", "Bell, Alex <sip:a@x>", "<sip:a@x", "< sip:a@x>", "<sip:a@x> ;", "sip:a@x?h=v",
        "\"a\" sip:a@x", "<>",
    ])
    func malformedAddresses(_ text: String) {
        #expect(throws: SIPParseError.self) { try NameAddress(parsing: text) }
    }

    @Test func contactParameters() throws {
        let contact = try ContactValue(
            parsing:
                #"<sip:alice@10.0.0.1:5060;transport=tcp;ob>;expires=3600;q=0.7;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1;pub-gruu="sip:alice@x;gr=urn:uuid:1""#
        )
        #expect(contact.expires == 3600)
        #expect(contact.q == 0.7)
        #expect(contact.instance == "urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF")
        #expect(contact.regID == 1)
        #expect(contact.isOutbound)
        #expect(contact.publicGRUU == "sip:alice@x;gr=urn:uuid:1")
        #expect(try ContactValue(parsing: " * ") == .wildcard)
        #expect(try ContactValue(parsing: "<sip:a@x>;expires=99999999999").expires == UInt32.max)
    }
}
