import Foundation

@testable import SIPUserAgent

enum JSONDecoderShim {
    static func decode(_ text: String) throws -> [String: ConfigValue] {
        try JSONDecoder().decode([String: ConfigValue].self, from: Data(text.utf8))
    }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sipterm-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
