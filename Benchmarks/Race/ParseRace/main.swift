// sipterm's side of the parser race (scripts/bench parsers): the same messages as the C peers
// (Benchmarks/Peers/parse-peers.c), the same fields read, round robin on one thread for a fixed
// time.
//
//   ParseRace plain|checked SECONDS FILE...   prints "sipterm <msgs/s> msgs/s"
//   ParseRace plain|checked ROUNDSx FILE...   that many rounds, untimed (allocations per message)
//   ParseRace show FILE...                     prints the fields read, one line each
//
// "checked" adds sipterm's full validation (`SIPMessage.validate`, RFC 3261's mandatory headers
// and their values) to every message.
@preconcurrency import Glibc
import SIPMessage

/// What the race reads: From user and tag, To host, top Via branch and host, CSeq, Call-ID and
/// the first Contact's host.
struct Fields {
    var fromUser: String?
    var fromTag: String?
    var toHost: Host?
    var viaBranch: String?
    var viaHost: Host?
    var cseq: UInt32
    var callID: String?
    var contactHost: Host?

    init(_ message: SIPMessage) throws {
        func read(_ parts: some SIPMessageParts) throws -> Fields {
            let from = try parts.from
            let via = try parts.topVia
            return Fields(
                fromUser: from?.uri.sipURI?.user, fromTag: from?.tag, toHost: try parts.to?.uri.sipURI?.host,
                viaBranch: via?.branch, viaHost: via?.host, cseq: try parts.cseq?.number ?? 0,
                callID: try parts.callID,
                contactHost: try parts.headers.value(.contact, as: ContactValue.self)?.address?.uri.sipURI?.host)
        }
        switch message {
        case .request(let request): self = try read(request)
        case .response(let response): self = try read(response)
        }
    }

    init(
        fromUser: String?, fromTag: String?, toHost: Host?, viaBranch: String?, viaHost: Host?, cseq: UInt32,
        callID: String?, contactHost: Host?
    ) {
        (self.fromUser, self.fromTag, self.toHost, self.viaBranch) = (fromUser, fromTag, toHost, viaBranch)
        (self.viaHost, self.cseq, self.callID, self.contactHost) = (viaHost, cseq, callID, contactHost)
    }

    /// The lengths of what was read, summed so the work cannot be skipped.
    var weight: Int {
        func length(_ host: Host?) -> Int {
            switch host {
            case .domain(let name): name.utf8.count
            case .ipv4: 4
            case .ipv6: 16
            case nil: 0
            }
        }
        return (fromUser?.utf8.count ?? 0) + (fromTag?.utf8.count ?? 0) + length(toHost) + (viaBranch?.utf8.count ?? 0)
            + length(viaHost) + Int(cseq) + (callID?.utf8.count ?? 0) + length(contactHost)
    }

    var line: String {
        let values: [(String, String?)] = [
            ("from.user", fromUser), ("from.tag", fromTag), ("to.host", toHost?.description),
            ("via.branch", viaBranch), ("via.host", viaHost?.description), ("cseq", String(cseq)),
            ("call-id", callID), ("contact.host", contactHost?.description),
        ]
        return values.map { "\($0.0)=\($0.1 ?? "-")" }.joined(separator: " ")
    }
}

@inline(never)
func race(_ parser: MessageParser, _ bytes: [UInt8], checked: Bool) throws -> Int {
    let message = try parser.parse(bytes)
    if checked { try message.validate() }
    return try Fields(message).weight
}

func fail(_ text: String) -> Never {
    fputs("ParseRace: \(text)\n", stderr)
    exit(2)
}

/// The bytes of a file (no Foundation: its `Host` would clash with SIPMessage's).
func contents(of path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        bytes += chunk[0..<count]
        if count < chunk.count { return ferror(file) == 0 ? bytes : nil }
    }
}

let arguments = CommandLine.arguments.dropFirst()
guard let mode = arguments.first, ["plain", "checked", "show"].contains(mode) else {
    fail("usage: ParseRace plain|checked SECONDS FILE... | show FILE...")
}
let files = Array(arguments.dropFirst(mode == "show" ? 1 : 2))
let samples = files.map { path in
    guard let bytes = contents(of: path) else { fail("cannot read \(path)") }
    return bytes
}
let parser = MessageParser()
for (path, bytes) in zip(files, samples) {
    do {
        let message = try parser.parse(bytes)
        try message.validate()
        if mode == "show" { print(try Fields(message).line) }
    } catch {
        fail("\(path) is not a message sipterm reads: \(error)")
    }
}
guard mode != "show" else { exit(0) }
let checked = mode == "checked"
// "ROUNDSx" instead of SECONDS: exactly that many rounds, untimed (for counting allocations).
if let rounds = arguments.dropFirst().first, rounds.hasSuffix("x"), let count = Int(rounds.dropLast()) {
    var checksum = 0
    for _ in 0..<count {
        for bytes in samples { checksum &+= (try? race(parser, bytes, checked: checked)) ?? 0 }
    }
    print("sipterm\(checked ? "-checked" : "") \(count * samples.count) messages (checksum \(checksum))")
    exit(0)
}
guard let seconds = arguments.dropFirst().first.flatMap(Double.init), seconds > 0 else { fail("bad SECONDS") }

let clock = ContinuousClock()
var checksum = 0
let warm = clock.now + .milliseconds(Int(seconds * 100))
while clock.now < warm {
    for bytes in samples { checksum &+= (try? race(parser, bytes, checked: checked)) ?? 0 }
}
var messages = 0
let start = clock.now
let end = start + .milliseconds(Int(seconds * 1000))
var now = start
while now < end {
    for _ in 0..<64 {
        for bytes in samples { checksum &+= (try? race(parser, bytes, checked: checked)) ?? 0 }
    }
    messages += 64 * samples.count
    now = clock.now
}
let elapsed = now - start
let perSecond = Double(messages) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
print("sipterm\(checked ? "-checked" : "") \(Int(perSecond)) msgs/s (checksum \(checksum))")
