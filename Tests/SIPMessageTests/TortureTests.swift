import Testing

@testable import SIPMessage

/// RFC 4475 and RFC 5118: valid messages parse and validate, invalid ones are refused with a
/// reason, and the facts each RFC calls out come out with the right values.
@Suite("Torture messages")
struct TortureTests {
    @Test("the torture index is present and complete")
    func indexIsComplete() {
        #expect(Fixtures.torture.count == 61)
    }

    /// Invalid messages RFC 4475 lets a liberal element take, whose fault is in a header sipterm
    /// never acts on: baddate (§3.1.2.12, a Date in EST) is accepted, as a UA that ignores Date may.
    static let liberallyAccepted: Set<String> = ["baddate"]

    @Test("each message is classified as the RFC says", arguments: Fixtures.torture)
    func classification(_ item: Fixtures.TortureCase) throws {
        let bytes = try Fixtures.bytes(atPath: item.path)
        let parsed = Result { try SIPMessage.parse(bytes) }
        switch item.expected {
        case "valid":
            let message = try parsed.get()
            #expect(throws: Never.self) { try message.validate() }
        case "invalid" where Self.liberallyAccepted.contains(item.name):
            #expect(throws: Never.self) { try parsed.get().validate() }
        case "invalid":
            if case .success(let message) = parsed {
                #expect(throws: SIPValidationError.self) { try message.validate() }
            }
        default:  // valid-semantics-error: must parse; whether to refuse is above the parser
            _ = try parsed.get()
        }
    }

    @Test func wsinvWhitespaceEverywhere() throws {
        let request = try Fixtures.request("wsinv")
        #expect(request.method == .invite)
        #expect(request.uri.sipURI?.parameters.contains("unknownparam") == true)
        #expect(try request.to?.tag == "1918181833n")
        let from = try #require(try request.from)
        #expect(from.displayName == "J Rosenberg \\\"")
        #expect(from.tag == "98asjd8")
        #expect(try request.maxForwards == 68)
        #expect(try request.callID == "wsinv.ndaksdj@192.0.2.1")
        #expect(try request.cseq == CSeq(9, .invite))
        #expect(request.body.count == 150)
        let vias = try request.via
        #expect(vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(vias.map(\.branch) == ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"])
        #expect(vias[1].host == .domain("spindle.example.com"))
        #expect(request.headers["Subject"] == "")
        #expect(request.headers["NewFangledHeader"] == "newfangled value continued newfangled value")
        #expect(request.headers["UnknownHeaderWithUnusualValue"] == ";;,,;;,;")
        let route = try #require(try request.routes.first)
        #expect(route.uri.sipURI?.parameters["unknownwith"] == "value")
        #expect(route.uri.sipURI?.parameters.contains("unknown-no-value") == true)
        let contact = try #require(try request.contacts.first?.address)
        #expect(contact.displayName == "Quoted string \"\"")
        #expect(contact.parameters["newparam"] == "newvalue")
        #expect(contact.parameters.contains("secondparam"))
        #expect(try request.contacts.first?.q == 0.33)
    }

    @Test func intmethOddCharacters() throws {
        let request = try Fixtures.request("intmeth")
        #expect(request.method.name == "!interesting-Method0123456789_*+`.%indeed'~")
        let uri = try #require(request.uri.sipURI)
        #expect(uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(try request.via.first?.branch == "z9hG4bK-.!%66*_+`'~")
        let to = try #require(try request.to)
        #expect(to.displayName?.unicodeScalars.contains { $0.value == 0 } == true)
        #expect(to.displayName?.unicodeScalars.contains { $0.value == 7 } == true)
        #expect(try request.callID == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{")
        #expect(try request.maxForwards == 255)
        #expect(try request.cseq?.number == 139_122_385)
        #expect(request.headers["extensionHeader-!.%*+_`'~"]?.unicodeScalars.first?.value == 0xFEFF)
    }

    @Test func esc01EscapesOnlyInsideURIs() throws {
        let request = try Fixtures.request("esc01")
        #expect(request.uri.sipURI?.user == "sips:user@example.com")
        #expect(request.uri.sipURI?.host == .domain("example.net"))
        #expect(try request.to?.uri.sipURI?.user == "user")
        #expect(try request.from?.uri.sipURI?.user == "I have spaces")
        let contact = try #require(try request.contacts.first?.address?.uri.sipURI)
        #expect(contact.user == "caller")
        #expect(contact.parameters.contains("lr"))
        #expect(contact.parameters["name"] == "value%41")
    }

    @Test func escnullKeepsNulOctets() throws {
        let request = try Fixtures.request("escnull")
        let user = try #require(try request.to?.uri.sipURI?.user)
        #expect(user.utf8.count == 11)
        #expect(Array(user.utf8)[5] == 0)
        let contacts = try request.contacts.compactMap { $0.address?.uri.sipURI?.user }
        #expect(contacts.map(\.utf8.count) == [1, 2])
    }

    @Test func esc02PercentIsLiteralOutsideURIs() throws {
        let request = try Fixtures.request("esc02")
        #expect(request.method.name == "RE%47IST%45R")
        #expect(try request.contacts.count == 2)
        #expect(request.headers["C%6Fntact"] != nil)
        #expect(try request.via.first?.branch == "z9hG4bK209%fzsnel234")
    }

    @Test func lwsdispTokenBeforeAngle() throws {
        let from = try #require(try Fixtures.request("lwsdisp").from)
        #expect(from.displayName == "caller")
        #expect(from.tag == "323")
    }

    @Test func longreqLongValuesAndManyVias() throws {
        let request = try Fixtures.request("longreq")
        #expect(try request.via.count == 34)
        #expect(try request.via.first?.host == .domain("sip33.example.com"))
        #expect(try request.via.last?.received == .ipv4(0xC000_0205))
        #expect(try request.to?.displayName?.hasPrefix("I have a user name of extremeextreme") == true)
        #expect(try request.to?.uri.sipURI?.port == 6000)
        #expect(try request.callID?.count == 141)
    }

    @Test func dblreqIgnoresBytesAfterContentLength() throws {
        let request = try Fixtures.request("dblreq")
        #expect(request.method == .register)
        #expect(request.body.isEmpty)
        #expect(try request.callID == "dblreq.0ha0isndaksdj99sdfafnl3lk233412")
    }

    @Test func semiuriSemicolonInUser() throws {
        let request = try Fixtures.request("semiuri")
        #expect(request.uri.sipURI?.user == "user;par=u@example.net")
        #expect(request.uri.sipURI?.parameters.isEmpty == true)
        let accept = try request.headers.values(.accept, as: MediaType.self)
        #expect(accept.map(\.essence).count == 6)
        #expect(accept.last?.essence == "message/sipfrag")
    }

    @Test func transportsInVia() throws {
        #expect(try Fixtures.request("transports").via.map(\.transport) == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"])
    }

    @Test func mpart01BinaryBody() throws {
        let request = try Fixtures.request("mpart01")
        #expect(request.body.count == 553)
        #expect(request.body.contains(0))
        #expect(try request.contentType?.parameters["boundary"] == "7a9cbec02ceef655")
        #expect(try request.via.first?.rport == .requested)
    }

    @Test func unreasonAndNoreasonPhrases() throws {
        let unreason = try #require(try Fixtures.message("unreason").response)
        #expect(unreason.statusCode == 200)
        #expect(unreason.reasonPhrase.hasPrefix("= 2**3 * 5**2 "))
        #expect(unreason.reasonPhrase.unicodeScalars.contains { $0.value > 0x400 })
        let noreason = try #require(try Fixtures.message("noreason").response)
        #expect(noreason.statusCode == 100)
        #expect(noreason.reasonPhrase == "")
    }

    @Test func invalidMessagesSayWhy() throws {
        func reason(_ name: String) throws -> String {
            let message = try Fixtures.message(name)
            do {
                try message.validate()
            } catch {
                return error.description
            }
            return "accepted"
        }
        func parseReason(_ name: String) throws -> String {
            do {
                _ = try Fixtures.message(name)
            } catch let error as SIPParseError {
                return error.description
            }
            return "accepted"
        }
        #expect(try reason("quotbal") == "400: line 2: unterminated quoted string in To")
        #expect(try reason("badvers").hasPrefix("505"))
        #expect(try reason("mismatch01").contains("CSeq method INVITE does not match request method OPTIONS"))
        #expect(try reason("scalar02").contains("CSeq number 36893488147419103232 is larger than 4294967295"))
        #expect(try reason("insuf") == "400: missing required headers From, To, Call-ID")
        #expect(try reason("multi01").contains("more than one CSeq"))
        #expect(try reason("escruri").contains("Request-URI must not contain headers"))
        #expect(try reason("badinv01").contains("in Via"))
        #expect(try reason("baddate") == "accepted")
        let date = try #require(try Fixtures.message("baddate").request)
        #expect(throws: SIPParseError.self) { _ = try date.headers.value(.date, as: SIPDate.self) }
        #expect(try reason("regbadct").contains("enclosed"))
        #expect(try reason("badaspec").contains("whitespace inside"))
        #expect(try reason("baddn").contains("must be quoted"))
        #expect(try parseReason("clerr").contains("Content-Length 9999 exceeds"))
        #expect(try parseReason("ncl").contains("invalid Content-Length '-999'"))
        #expect(try parseReason("bigcode").contains("invalid status code"))
        #expect(try parseReason("ltgtruri").contains("must not be enclosed"))
        #expect(try parseReason("lwsruri").contains("single spaces"))
        #expect(try parseReason("lwsstart").contains("single spaces"))
        #expect(try parseReason("trws").contains("single spaces"))
        #expect(try parseReason("ipv6-bad").contains("enclosed in '[' ']'"))
    }

    @Test func semanticsErrorsParse() throws {
        #expect(
            try Fixtures.request("unkscm").uri
                == .other(scheme: "nobodyknowsthisscheme", opaque: "totallyopaquecontent"))
        #expect(try Fixtures.request("novelsc").uri.scheme == "soap.beep")
        let unksm2 = try Fixtures.request("unksm2")
        #expect(try unksm2.to?.uri == .other(scheme: "isbn", opaque: "2983792873"))
        #expect(try unksm2.contacts.first?.address?.uri.scheme == "name")
        let bext = try Fixtures.request("bext01")
        #expect(
            try bext.headers.values(.require, as: OptionTag.self).map(\.value) == [
                "nothingSupportsThis", "nothingSupportsThisEither",
            ])
        #expect(try bext.headers.values(.proxyRequire, as: OptionTag.self).count == 2)
        let auth = try #require(try Fixtures.request("regaut01").headers.value(.authorization, as: AuthField.self))
        #expect(auth.scheme == "NoOneKnowsThisScheme")
        #expect(auth["opaque-data"] == "here")
        #expect(try Fixtures.request("zeromf").maxForwards == 0)
        #expect(try Fixtures.request("badbranch").via.first?.branch == "z9hG4bK")
        let bcast = try #require(try Fixtures.message("bcast").response)
        #expect(try bcast.via.last?.host == .ipv4(0xFFFF_FFFF))
        #expect(try Fixtures.request("inv2543").body.count == 105)
        #expect(try Fixtures.request("inv2543").from?.tag == nil)
    }

    @Test func contactParameterPlacement() throws {
        let addrSpec = try #require(try Fixtures.request("cparam01").contacts.first?.address)
        #expect(addrSpec.uri.sipURI?.parameters.isEmpty == true)
        #expect(addrSpec.parameters.contains("unknownparam"))
        let nameAddr = try #require(try Fixtures.request("cparam02").contacts.first?.address)
        #expect(nameAddr.uri.sipURI?.parameters.contains("unknownparam") == true)
        #expect(nameAddr.parameters.isEmpty)
        let escaped = try #require(try Fixtures.request("regescrt").contacts.first?.address?.uri.sipURI)
        #expect(escaped.headers == [Parameter("Route", "<sip:sip.example.com>")])
    }

    @Test func ipv6References() throws {
        let good = try Fixtures.request("ipv6-good")
        #expect(good.uri.sipURI?.host.description == "[2001:db8::10]")
        #expect(try good.via.first?.host.address == "2001:db8::9:1")
        #expect(try good.contacts.first?.address?.uri.sipURI?.host.address == "2001:db8::1")
        let ambiguous = try Fixtures.request("port-ambiguous").uri.sipURI
        #expect(ambiguous?.host.address == "2001:db8::10:5070")
        #expect(ambiguous?.port == nil)
        let unambiguous = try Fixtures.request("port-unambiguous").uri.sipURI
        #expect(unambiguous?.host.address == "2001:db8::10")
        #expect(unambiguous?.port == 5070)
        #expect(try Fixtures.request("via-received-param-with-delim").via.first?.received?.address == "2001:db8::9:255")
        #expect(try Fixtures.request("via-received-param-no-delim").via.first?.received?.address == "2001:db8::9:255")
        let mixed = try Fixtures.request("mult-ip-in-header").via
        #expect(mixed.map(\.host.address) == ["2001:db8::9:1", "192.0.2.1", "2001:db8::9:255"])
        #expect(mixed[0].port == 6050)
        #expect(mixed[2].received == .ipv4(0xC000_02C8))
        let mapped = try Fixtures.request("ipv4-mapped-ipv6")
        #expect(try mapped.via.first?.host.address == "::ffff:192.0.2.10")
        #expect(try mapped.via.first?.port == 19823)
        let threeColons = try Fixtures.request("ipv6-bug-abnf-3-colons").uri.sipURI?.host
        let twoColons = try Fixtures.request("ipv6-correct-abnf-2-colons").uri.sipURI?.host
        #expect(threeColons == twoColons)
        #expect(twoColons?.address == "2001:db8::c000:201")
        #expect(try Fixtures.request("ipv6-in-sdp").bodyText.contains("c=IN IP6 2001:db8::20"))
    }
}
