import Foundation

/// The built `sipterm` executable, found next to the test bundle.
public enum Binaries {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    public static func sipterm() throws -> String {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [Bundle.main.bundleURL, products] {
            let url = candidate.appendingPathComponent("sipterm")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
        }
        throw Missing(description: "the sipterm binary was not built next to the tests (looked in \(products.path))")
    }
}
