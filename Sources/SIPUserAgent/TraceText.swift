import Foundation

/// A message as a trace shows it: text, with the digest `response`, Bearer tokens and any
/// password in Authorization headers masked, so a trace can be shared.
enum TraceText {
    static func masked(_ bytes: [UInt8]) -> String {
        // Split at LF bytes: "\r\n" is one Character, so a split by Character would not see it.
        var lines: [String] = []
        for lineBytes in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = String(decoding: lineBytes, as: UTF8.self)
            let lower = line.lowercased()
            if lower.hasPrefix("authorization:") || lower.hasPrefix("proxy-authorization:") {
                lines.append(maskCredentials(Substring(line)))
            } else {
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    static func maskCredentials(_ line: Substring) -> String {
        guard let colon = line.firstIndex(of: ":") else { return String(line) }
        let name = line[..<colon]
        let value = line[line.index(after: colon)...].drop { $0 == " " }
        if value.lowercased().hasPrefix("bearer") || !value.lowercased().hasPrefix("digest") {
            let scheme = value.prefix { $0 != " " && $0 != "\r" }
            let end = line.hasSuffix("\r") ? "\r" : ""
            // A value without a scheme (a bare token, sent verbatim) is all secret.
            guard value.dropFirst(scheme.count).contains(where: { $0 != " " && $0 != "\r" }) else {
                return "\(name): \(Configuration.mask)" + end
            }
            return "\(name): \(scheme) \(Configuration.mask)" + end
        }
        // Digest: keep everything but the response value.
        var out = ""
        var rest = Substring(value)
        while let range = rest.range(of: "response=\"") {
            out += rest[..<range.upperBound]
            out += Configuration.mask
            rest = rest[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { rest = rest[end...] } else { rest = "" }
        }
        return "\(name): \(out)\(rest)"
    }
}
