import Testing

@testable import SIPMedia

@Suite("SDP")
struct SDPTests {
    // The SDP of RFC 4475 §3.1.1.1 (wsinv), with LF line ends.
    let torture =
        "v=0\no=mhandley 29739 7272939 IN IP4 192.0.2.3\ns=-\nc=IN IP4 192.0.2.4\nt=0 0\nm=audio 49217 RTP/AVP 0 12\nm=video 3227 RTP/AVP 31\na=rtpmap:31 LPC\n"

    @Test func parsesAndRoundTrips() throws {
        let sdp = try SessionDescription(parsing: torture)
        #expect(sdp.origin.sessionVersion == 7_272_939)
        #expect(sdp.connection?.address == "192.0.2.4")
        #expect(sdp.media.count == 2)
        #expect(sdp.media[0].port == 49217)
        #expect(sdp.media[0].formats == ["0", "12"])
        #expect(sdp.media[0].rtpMaps == [MediaDescription.RTPMap(payloadType: 0, encoding: "PCMU", clockRate: 8000)])
        #expect(sdp.media[1].attributes == [.init("rtpmap", "31 LPC")])
        let again = try SessionDescription(parsing: sdp.text)
        #expect(again == sdp)
        #expect(
            sdp.text.hasPrefix(
                "v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.3\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\n"))
    }

    /// Found by FuzzSDP: a stray CR before a line's CRLF, or inside an o=, c= or m= value before
    /// a space, was written back and then read as part of the line end, so every round trip
    /// changed the description. Stray CRs end a line; in those values they separate fields.
    @Test func strayCarriageReturnsSurviveTheRoundTrip() throws {
        let text =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r \r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0 101\r \r\na=rtpmap:0 PCMU/8000\r\r\r\r\n"
        let description = try SessionDescription(parsing: text)
        #expect(description.origin.address.address == "127.0.0.1")
        #expect(description.media.first?.formats == ["0", "101"])
        #expect(description.media.first?.attributes.first?.value == "0 PCMU/8000")
        #expect(try SessionDescription(parsing: description.text).text == description.text)
    }

    @Test func ipv6AndPerMediaConnections() throws {
        // RFC 5118 §4.8: no session c=, per-media IPv4 and IPv6.
        let text =
            "v=0\r\no=bob 280744730 28977631 IN IP4 host.example.com\r\ns=\r\nt=0 0\r\nm=audio 22334 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\nm=video 6024 RTP/AVP 107\r\nc=IN IP6 2001:db8::1\r\na=rtpmap:107 H263-1998/90000\r\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.sessionName == "")
        #expect(sdp.media[0].connection?.address == "192.0.2.1")
        #expect(sdp.media[1].connection == .init(addressType: "IP6", address: "2001:db8::1"))
        #expect(sdp.media[1].rtpMaps.first?.clockRate == 90000)
        #expect(try SessionDescription(parsing: sdp.text) == sdp)
    }

    @Test(arguments: [
        ("o=a 1 1 IN IP4 x\ns=-\nt=0 0\n", "missing v= line"),
        ("v=0\ns=-\nt=0 0\n", "missing o= line"),
        ("v=1\n", "unsupported SDP version"),
        ("v=0\no=a 1 x IN IP4 h\ns=-\nt=0 0\n", "origin"),
        ("v=0\no=a 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 99999 RTP/AVP 0\nc=IN IP4 h\n", "invalid media port"),
        ("v=0\no=a 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\n", "no connection address"),
        ("v=0\no=a 1 1 IN IP4 h\ns=-\nt=0 0\nc=IN XY h\n", "connection must be"),
        ("v=0\ngarbage\n", "expected 'type=value'"),
    ])
    func refusesBrokenDescriptions(_ text: String, _ reason: String) {
        do {
            _ = try SessionDescription(parsing: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    let local = OfferAnswer(codecs: [.pcma, .pcmu, .telephoneEvent])

    func offer(_ media: String, direction: String? = nil) -> SessionDescription? {
        var text = "v=0\r\no=peer 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n" + media
        if let direction { text += "a=\(direction)\r\n" }
        return try? SessionDescription(parsing: text)
    }

    @Test func answerKeepsSharedCodecsInOurOrder() throws {
        let remote = try #require(
            offer(
                "m=audio 40000 RTP/AVP 0 8 18 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\nm=video 40002 RTP/AVP 31\r\n"
            ))
        let (answer, audio) = try local.answer(to: remote, address: "127.0.0.1", port: 50000)
        #expect(answer.media[0].formats == ["8", "0", "101"])
        #expect(answer.media[0].fmtp(101) == "0-15")
        #expect(answer.media[1].port == 0)
        #expect(audio.codecs.map(\.encoding) == ["PCMA", "PCMU"])
        #expect(audio.telephoneEvent == 101)
        #expect(audio.remoteAddress == "192.0.2.9")
        #expect(audio.remotePort == 40000)
        #expect(audio.direction == .sendrecv)
        #expect(try SessionDescription(parsing: answer.text) == answer)
    }

    @Test(arguments: [
        (Direction.sendonly, false, Direction.recvonly), (.recvonly, false, .sendonly), (.inactive, false, .inactive),
        (.sendrecv, true, .sendonly), (.sendonly, true, .inactive),
    ])
    func holdDirections(offered: Direction, hold: Bool, expected: Direction) throws {
        let remote = try #require(offer("m=audio 40000 RTP/AVP 0\r\n", direction: offered.rawValue))
        let (answer, audio) = try local.answer(to: remote, address: "127.0.0.1", port: 50000, hold: hold)
        #expect(answer.media[0].direction == expected)
        #expect(audio.direction == expected)
    }

    @Test func noCommonCodecIsAnError() throws {
        let remote = try #require(offer("m=audio 40000 RTP/AVP 18\r\n"))
        #expect(throws: SDPError.self) { try local.answer(to: remote, address: "127.0.0.1", port: 50000) }
    }

    @Test func offerAndReOffer() throws {
        let first = local.offer(address: "127.0.0.1", port: 50000)
        #expect(first.media[0].formats == ["8", "0", "101"])
        #expect(first.media[0].rtpMaps.map(\.encoding) == ["PCMA", "PCMU", "telephone-event"])
        let hold = local.offer(address: "127.0.0.1", port: 50000, direction: .sendonly, previous: first)
        #expect(hold.origin.sessionID == first.origin.sessionID)
        #expect(hold.origin.sessionVersion == first.origin.sessionVersion + 1)
        #expect(hold.media[0].direction == .sendonly)
        // The peer answers our offer with PCMU only.
        let reply = try #require(
            offer("m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n", direction: "recvonly"))
        let audio = try local.accept(answer: reply, to: hold)
        #expect(audio.codecs.map(\.encoding) == ["PCMU"])
        #expect(audio.direction == .recvonly)
        let refused = try #require(offer("m=audio 0 RTP/AVP 0\r\n"))
        #expect(throws: SDPError.self) { try local.accept(answer: refused, to: first) }
    }
}
