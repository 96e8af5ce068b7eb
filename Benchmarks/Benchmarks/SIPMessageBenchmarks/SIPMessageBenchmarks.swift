// Throughput of sipterm's message layer on the messages a softphone handles most: a REGISTER,
// the 401 that challenges it, an INVITE with SDP and its 200 OK. One measured iteration handles
// 1,000 messages (scalingFactor .kilo); the tables show time per message and messages/s
// (the tool's `--scale` flag would show them per 1,000 instead).
import Benchmark
import Foundation
import SIPMessage

// MARK: - Sample traffic (Benchmarks/Messages, shared with the parser race)

/// The four messages, read from the files the parser race (scripts/bench parsers) uses too.
private let samples: [(name: String, bytes: [UInt8])] = {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Messages")
    return [("REGISTER", "register"), ("401 challenge", "challenge"), ("INVITE+SDP", "invite"), ("200 OK+SDP", "ok")]
        .map { name, file in
            let path = directory.appendingPathComponent(file + ".sip").path
            guard let data = FileManager.default.contents(atPath: path) else {
                fatalError("no benchmark message \(path)")
            }
            return (name, [UInt8](data))
        }
}()

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
