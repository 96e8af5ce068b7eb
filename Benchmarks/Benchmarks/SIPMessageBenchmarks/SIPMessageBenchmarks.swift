// Throughput of sipterm's message layer on the messages a softphone handles most: a REGISTER,
// the 401 that challenges it, an INVITE with SDP and its 200 OK. One measured iteration handles
// 1,000 messages (scalingFactor .kilo); the tables show time per message and messages/s
// (the tool's `--scale` flag would show them per 1,000 instead).
import Benchmark
import SIPMessage

// MARK: - Sample traffic (written for these benchmarks)

/// Joins header lines with CRLF, appends the blank line and the body, and sets Content-Length
/// from the body, so the samples stay well-framed when edited.
private func message(_ lines: [String], body: String = "") -> [UInt8] {
    let head = (lines + ["Content-Length: \(body.utf8.count)", "", ""]).joined(separator: "\r\n")
    return Array(head.utf8) + Array(body.utf8)
}

private let register = message([
    "REGISTER sip:voip.example.net SIP/2.0",
    "Via: SIP/2.0/UDP 192.168.20.41:50622;rport;branch=z9hG4bK.Xq3bL0dT7m",
    "Max-Forwards: 70",
    "From: \"Dana Ortiz\" <sip:dana@voip.example.net>;tag=8c1f04e2",
    "To: \"Dana Ortiz\" <sip:dana@voip.example.net>",
    "Call-ID: 3f9a7e21-6d0c-4b8e-a5c2-91e0b7d44f10",
    "CSeq: 21 REGISTER",
    "Contact: <sip:dana@192.168.20.41:50622;transport=udp;ob>;+sip.instance=\"<urn:uuid:5b2e8c7a-1f43-4d09-b6a1-7e0c93f2d815>\";reg-id=1;expires=600",
    "Expires: 600",
    "Supported: path, outbound, gruu, replaces, 100rel",
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, MESSAGE, PRACK",
    "User-Agent: sipterm/0.1 (linux)",
])

private let challenge = message([
    "SIP/2.0 401 Unauthorized",
    "Via: SIP/2.0/UDP 192.168.20.41:50622;rport=41877;received=203.0.113.58;branch=z9hG4bK.Xq3bL0dT7m",
    "From: \"Dana Ortiz\" <sip:dana@voip.example.net>;tag=8c1f04e2",
    "To: \"Dana Ortiz\" <sip:dana@voip.example.net>;tag=as6d1e99c0",
    "Call-ID: 3f9a7e21-6d0c-4b8e-a5c2-91e0b7d44f10",
    "CSeq: 21 REGISTER",
    "WWW-Authenticate: Digest realm=\"voip.example.net\", nonce=\"d5f27c1a0e9b4c6f8a13e7b20c55d9f4\", opaque=\"4e1b0c7d\", algorithm=SHA-256, qop=\"auth,auth-int\"",
    "WWW-Authenticate: Digest realm=\"voip.example.net\", nonce=\"d5f27c1a0e9b4c6f8a13e7b20c55d9f4\", opaque=\"4e1b0c7d\", algorithm=MD5, qop=\"auth,auth-int\"",
    "Server: ExampleProxy 5.8",
])

private let offer = """
    v=0\r
    o=dana 2890844526 2890844526 IN IP4 192.168.20.41\r
    s=sipterm\r
    c=IN IP4 192.168.20.41\r
    t=0 0\r
    m=audio 40376 RTP/AVP 111 9 0 8 101\r
    a=rtpmap:111 opus/48000/2\r
    a=fmtp:111 minptime=10;useinbandfec=1\r
    a=rtpmap:9 G722/8000\r
    a=rtpmap:0 PCMU/8000\r
    a=rtpmap:8 PCMA/8000\r
    a=rtpmap:101 telephone-event/8000\r
    a=fmtp:101 0-16\r
    a=ptime:20\r
    a=sendrecv\r

    """

private let answer = """
    v=0\r
    o=- 1718805531 1718805532 IN IP4 198.51.100.7\r
    s=callee\r
    c=IN IP4 198.51.100.7\r
    t=0 0\r
    m=audio 31020 RTP/AVP 0 101\r
    a=rtpmap:0 PCMU/8000\r
    a=rtpmap:101 telephone-event/8000\r
    a=fmtp:101 0-15\r
    a=ptime:20\r
    a=sendrecv\r

    """

private let invite = message(
    [
        "INVITE sip:alex@voip.example.net SIP/2.0",
        "Via: SIP/2.0/UDP 192.168.20.41:50622;rport;branch=z9hG4bK.p7Rw2KcV9s",
        "Max-Forwards: 70",
        "Route: <sip:edge.voip.example.net;lr>, <sip:core.voip.example.net;transport=tcp;lr>",
        "Record-Route: <sip:192.168.20.1;lr;ftag=70b2c9d1>",
        "From: \"Dana Ortiz\" <sip:dana@voip.example.net>;tag=70b2c9d1",
        "To: <sip:alex@voip.example.net>",
        "Call-ID: 0c7d3e55-92ab-4f61-8e04-b1a6d2c9f378",
        "CSeq: 102 INVITE",
        "Contact: <sip:dana@192.168.20.41:50622;transport=udp;ob>;+sip.instance=\"<urn:uuid:5b2e8c7a-1f43-4d09-b6a1-7e0c93f2d815>\"",
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, MESSAGE, PRACK",
        "Supported: replaces, timer, 100rel",
        "Session-Expires: 1800",
        "Min-SE: 90",
        "User-Agent: sipterm/0.1 (linux)",
        "Content-Type: application/sdp",
    ], body: offer)

private let ok = message(
    [
        "SIP/2.0 200 OK",
        "Via: SIP/2.0/UDP 192.168.20.41:50622;rport=41877;received=203.0.113.58;branch=z9hG4bK.p7Rw2KcV9s",
        "Record-Route: <sip:core.voip.example.net;transport=tcp;lr>, <sip:edge.voip.example.net;lr>",
        "Record-Route: <sip:192.168.20.1;lr;ftag=70b2c9d1>",
        "From: \"Dana Ortiz\" <sip:dana@voip.example.net>;tag=70b2c9d1",
        "To: <sip:alex@voip.example.net>;tag=2d8e41b7",
        "Call-ID: 0c7d3e55-92ab-4f61-8e04-b1a6d2c9f378",
        "CSeq: 102 INVITE",
        "Contact: <sip:alex@198.51.100.7:5062;transport=udp>",
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE",
        "Supported: replaces, timer",
        "Require: timer",
        "Session-Expires: 1800;refresher=uac",
        "Server: Deskphone 9.1",
        "Content-Type: application/sdp",
    ], body: answer)

private let samples: [(name: String, bytes: [UInt8])] = [
    ("REGISTER", register),
    ("401 challenge", challenge),
    ("INVITE+SDP", invite),
    ("200 OK+SDP", ok),
]

// MARK: - Work measured

/// What a UA reads from nearly every message: the routing and dialog headers, typed.
@inline(never)
private func decodeCommonHeaders(_ message: SIPMessage) throws -> Int {
    func decode(_ parts: some SIPMessageParts) throws -> Int {
        let via = try parts.via
        let from = try parts.from
        let to = try parts.to
        let cseq = try parts.cseq
        let callID = try parts.callID
        let contacts = try parts.contacts
        blackHole(from)
        blackHole(to)
        return via.count + contacts.count + Int(cseq?.number ?? 0) + (callID?.utf8.count ?? 0)
    }
    switch message {
    case .request(let request): return try decode(request)
    case .response(let response): return try decode(response)
    }
}

private let cnonce = "0a4f113b5e7c2d9e"
private let registrar = "sip:voip.example.net"

private func responder(_ algorithm: DigestAlgorithm) -> DigestResponder {
    DigestResponder(
        username: "dana",
        challenge: DigestChallenge(
            realm: "voip.example.net", nonce: "d5f27c1a0e9b4c6f8a13e7b20c55d9f4", opaque: "4e1b0c7d",
            algorithm: algorithm, qop: ["auth", "auth-int"]))
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    // Every sample must parse, validate and decode, or the numbers below measure error paths.
    for (name, bytes) in samples {
        do {
            let parsed = try SIPMessage.parse(bytes)
            try parsed.validate()
            _ = try decodeCommonHeaders(parsed)
            let reparsed = try SIPMessage.parse(parsed.serialized())
            precondition(reparsed == parsed, "\(name) does not round-trip")
        } catch {
            fatalError("benchmark sample \(name) is not a valid message: \(error)")
        }
    }

    let parser = MessageParser()

    for (name, bytes) in samples {
        Benchmark("parse \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try parser.parse(bytes))
            }
        }

        Benchmark("parse+decode \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try decodeCommonHeaders(try parser.parse(bytes)))
            }
        }

        guard let parsed = try? parser.parse(bytes) else { fatalError("benchmark sample \(name) does not parse") }
        Benchmark("serialize \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(parsed.serialized())
            }
        }
    }

    for (label, algorithm) in [("MD5", DigestAlgorithm.md5), ("SHA-256", .sha256)] {
        let digest = responder(algorithm)
        // HA1 from the password, response, and the Authorization value, as sent on each REGISTER
        // refresh; nonceCount varies so no step can be hoisted out of the loop.
        Benchmark("digest \(label) credentials") { benchmark in
            var count: UInt32 = 0
            for _ in benchmark.scaledIterations {
                count &+= 1
                let ha1 = digest.ha1(password: "correct horse battery staple")
                let value = try digest.credentials(
                    ha1: ha1, method: "REGISTER", uri: registrar, cnonce: cnonce, nonceCount: count)
                blackHole(value.description)
            }
        }
    }
}
