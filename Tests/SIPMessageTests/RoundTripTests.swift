import TestSupport
import Testing

@testable import SIPMessage

/// parse(serialize(m)) == m, and hostile input never crashes the parser.
@Suite("Round trip and robustness")
struct RoundTripTests {
    @Test("every parseable torture message survives a round trip", arguments: Fixtures.torture)
    func roundTrip(_ item: Fixtures.TortureCase) throws {
        guard let message = try? SIPMessage.parse(Fixtures.bytes(atPath: item.path)) else { return }
        let reparsed = try SIPMessage.parse(message.serialized())
        #expect(reparsed == message)
        #expect(reparsed.serialized() == message.serialized())
    }

    @Test func knownHeadersWrittenCanonically() throws {
        let message = try SIPMessage.parse(
            "OPTIONS sip:a@x SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:b@x>;tag=1\r\nt: <sip:a@x>\r\n"
                + "i: abc\r\nCSEQ: 1 OPTIONS\r\nX-Custom-Thing: kept As-Is\r\nl: 0\r\n\r\n")
        let text = String(decoding: message.serialized(), as: UTF8.self)
        #expect(
            text
                == "OPTIONS sip:a@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:b@x>;tag=1\r\nTo: <sip:a@x>\r\n"
                + "Call-ID: abc\r\nCSeq: 1 OPTIONS\r\nX-Custom-Thing: kept As-Is\r\nContent-Length: 0\r\n\r\n")
        #expect(message.headers.contains("x-custom-thing"))
    }

    @Test func builtMessageHasMatchingContentLength() throws {
        var request = SIPRequest(method: .message, uri: .sip(SIPURI(user: "bob", host: .domain("x"))))
        request.headers.append(
            "Via",
            Via(
                transport: "udp", host: .ipv4(0x7F00_0001), port: 5060,
                parameters: [Parameter("branch", "z9hG4bKa"), Parameter("rport")]
            ).description)
        request.setBody("héllo", contentType: .textPlain)
        let parsed = try MessageParser(framing: .stream).parse(request.serialized())
        #expect(parsed.body == Array("héllo".utf8))
        #expect(parsed.headers["Content-Length"] == "6")
        #expect(parsed.headers["Content-Type"] == "text/plain")
        #expect(try parsed.request?.via.first?.rport == .requested)
        #expect(try parsed.request?.via.first?.description == "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa;rport")
    }

    @Test func streamFramingNeedsContentLength() {
        let text = "OPTIONS sip:a@x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n"
        #expect(throws: SIPParseError.self) { try MessageParser(framing: .stream).parse(text) }
        #expect(throws: Never.self) { try MessageParser(framing: .datagram).parse(text) }
    }

    @Test func sizeLimitIsEnforcedFirst() {
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 70_000)
        #expect(throws: SIPParseError("message of 70000 bytes exceeds the 65536-byte limit")) {
            try SIPMessage.parse(big)
        }
        #expect(throws: SIPParseError.self) {
            try MessageParser(maxMessageSize: 100).parse(Array(repeating: 0x41, count: 101))
        }
    }

    @Test func leadingBlankLinesAndBareLF() throws {
        let message = try SIPMessage.parse(
            "\r\n\r\nSIP/2.0 180 Ringing\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nContent-Length: 0\n\n")
        #expect(message.response?.statusCode == 180)
        #expect(message.response?.reasonPhrase == "Ringing")
    }

    /// A seeded mutation run over every torture message: bytes flipped, inserted, removed and
    /// spliced. Each mutant must parse or fail with an error, and whatever parses must round-trip.
    @Test func seededMutationsNeverCrash() throws {
        var random = SplitMix64(seed: 0x5151_7E57)
        let seeds = try Fixtures.torture.map { try Fixtures.bytes(atPath: $0.path) }
        let interesting: [UInt8] = Array(":;,<>\"\\%@[] \t\r\n=?&/0123456789zZ".utf8) + [0, 0xFF, 0xC3]
        var parsed = 0
        let rounds = 12_000
        for round in 0..<rounds {
            var bytes = seeds[round % seeds.count]
            for _ in 0...(Int(random.next() % 4)) {
                guard !bytes.isEmpty else { break }
                let position = Int(random.next() % UInt64(bytes.count))
                let byte =
                    random.next() % 2 == 0
                    ? interesting[Int(random.next() % UInt64(interesting.count))]
                    : UInt8(truncatingIfNeeded: random.next())
                switch random.next() % 4 {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                case 2: bytes.remove(at: position)
                default:
                    let other = seeds[Int(random.next() % UInt64(seeds.count))]
                    let cut = Int(random.next() % UInt64(max(1, other.count)))
                    bytes = Array(bytes[..<position]) + Array(other[cut...])
                }
            }
            guard let message = try? SIPMessage.parse(bytes) else { continue }
            parsed += 1
            _ = try? message.validate()
            _ = message.structure.json
            let again = try SIPMessage.parse(message.serialized())
            #expect(again == message)
        }
        #expect(parsed > rounds / 10)
    }
}
