/// Turns what a person dials into a SIP URI, by JsSIP's `normalizeTarget` rules: `1234` and
/// `bob` get the account's domain, `sip:`/`sips:`/`tel:` prefixes are dropped from the user,
/// and visual separators are removed from phone numbers (`tel:+1-555-123-4567` →
/// `sip:+15551234567@domain`).
public enum DialTarget {
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public var target: String
        public var reason: String
        public var description: String { "cannot dial '\(target)': \(reason)" }
    }

    /// - Parameter defaultDomain: `host[:port][;params]` used when the target has no `@`.
    public static func normalize(_ target: String, defaultDomain: String?) throws(Error) -> SIPURI {
        let trimmed = target.trimmingWhitespace
        guard !trimmed.isEmpty else { throw Error(target: target, reason: "nothing to dial") }
        let pieces = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        var user: Substring
        let domain: String
        if pieces.count == 1 {
            guard let defaultDomain, !defaultDomain.isEmpty else {
                throw Error(target: target, reason: "no domain given and no account domain to default to")
            }
            user = pieces[0]
            domain = defaultDomain
        } else {
            user = trimmed[..<(trimmed.lastIndex(of: "@") ?? trimmed.endIndex)]
            domain = String(pieces[pieces.count - 1])
        }
        for scheme in ["sip:", "sips:", "tel:"] where user.lowercased().hasPrefix(scheme) {
            user = user.dropFirst(scheme.count)
            break
        }
        var userText = String(user)
        if isPhoneNumber(userText) { userText = String(userText.filter { !"-.()".contains($0) }) }
        guard !userText.isEmpty else { throw Error(target: target, reason: "empty user part") }
        let decoded: String
        do {
            decoded = try Scanner.scan(userText) { scanner in
                try PercentEncoding.decode(
                    scanner.bytes(0..<scanner.buffer.count), allowed: [.unreserved, .userExtra], what: "user",
                    acceptAny: true)
            }
        } catch {
            throw Error(target: target, reason: "\(error)")
        }
        do {
            var uri = try SIPURI(parsing: "sip:x@" + domain)
            uri.user = decoded
            return uri
        } catch {
            throw Error(target: target, reason: "invalid domain '\(domain)': \(error)")
        }
    }

    /// JsSIP's phone-number test: optional leading separators, optional `+`, then digits and separators.
    static func isPhoneNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        while let first = rest.first, "-.()".contains(first) { rest.removeFirst() }
        if rest.first == "+" { rest.removeFirst() }
        return !rest.isEmpty && rest.allSatisfy { $0.isASCIIDigit || "-.()".contains($0) }
    }
}
