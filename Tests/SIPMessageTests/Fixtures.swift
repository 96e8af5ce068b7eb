import Foundation
import SIPMessage

/// Test data on disk: the RFC 4475 / RFC 5118 torture messages copied byte-exact into the repo.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    struct TortureCase: Sendable, CustomStringConvertible {
        var name: String
        var path: String
        var expected: String
        var description: String { name }
    }

    /// Every indexed torture message; RFC 5118 messages are read in their wire form (CRLF,
    /// Content-Length recomputed) since the archived `.dat` copies have stale lengths.
    static let torture: [TortureCase] = {
        var cases: [TortureCase] = []
        for (folder, suffix) in [("rfc4475", ".dat"), ("rfc5118", ".sip")] {
            let base = directory.appendingPathComponent("torture").appendingPathComponent(folder)
            guard let index = try? String(contentsOf: base.appendingPathComponent("index.tsv"), encoding: .utf8) else {
                continue
            }
            for line in index.split(separator: "\n").dropFirst() {
                let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard columns.count >= 3 else { continue }
                let name = String(columns[0])
                let file = folder == "rfc5118" ? "wire/\(name)\(suffix)" : "\(name)\(suffix)"
                cases.append(
                    TortureCase(name: name, path: base.appendingPathComponent(file).path, expected: String(columns[2])))
            }
        }
        return cases
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let found = torture.first(where: { $0.name == name }) else { throw FixtureMissing(name: name) }
        return try bytes(atPath: found.path)
    }

    static func bytes(atPath path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func message(_ name: String) throws -> SIPMessage { try SIPMessage.parse(bytes(name)) }

    static func request(_ name: String) throws -> SIPRequest {
        guard let request = try message(name).request else { throw FixtureMissing(name: "\(name) as a request") }
        return request
    }

    struct FixtureMissing: Error { var name: String }
}
