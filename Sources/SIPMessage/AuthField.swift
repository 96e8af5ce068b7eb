/// A challenge (WWW-/Proxy-Authenticate) or credentials (Authorization, Proxy-Authorization):
/// a scheme followed by comma-separated auth-params, or by a token68 such as a Bearer token.
/// Unknown schemes parse too, so a registrar can answer them with its own challenge.
public struct AuthField: SIPHeaderValue, Hashable {
    public var scheme: String
    public var parameters: [Parameter]
    /// The opaque token of schemes like Bearer (`Bearer eyJ…`).
    public var token: String?

    public init(scheme: String, parameters: [Parameter] = [], token: String? = nil) {
        self.scheme = scheme
        self.parameters = parameters
        self.token = token
    }

    public subscript(name: String) -> String? {
        parameters.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public var isDigest: Bool { scheme.equalsIgnoringASCIICase("digest") }

    public init(parsing text: Substring) throws {
        self = try Scanner.scan(text) { scanner in
            scanner.skipWhitespace()
            let scheme = try scanner.expectToken("authentication scheme")
            scanner.skipWhitespace()
            var field = AuthField(scheme: scheme)
            if scanner.isAtEnd { return field }
            // token68 (RFC 7235): one word, with '=' only as trailing padding.
            let rest = scanner.remainder.trimmingWhitespace
            let padding = rest.drop(while: { $0 != "=" })
            if !rest.contains(where: { $0 == "," || $0 == " " || $0 == "\t" }), padding.allSatisfy({ $0 == "=" }) {
                guard rest.utf8.allSatisfy({ SIPGrammar.is($0, .alphanum) || "-._~+/=".utf8.contains($0) }) else {
                    throw SIPParseError("invalid credentials token")
                }
                field.token = rest
                return field
            }
            repeat {
                scanner.skipWhitespace()
                let name = try scanner.expectToken("auth-param name")
                guard scanner.separator(UInt8(ascii: "=")) else {
                    throw scanner.unexpected(expecting: "'=' after \(name)")
                }
                if scanner.peek == UInt8(ascii: "\"") {
                    field.parameters.append(Parameter(name, try scanner.quotedString(), quoted: true))
                } else {
                    let value = scanner.scan(while: [.token, .paramValueExtra])
                    guard !value.isEmpty else { throw scanner.unexpected(expecting: "a value for \(name)") }
                    field.parameters.append(Parameter(name, scanner.string(value)))
                }
            } while scanner.separator(UInt8(ascii: ","))
            try scanner.expectEnd("authentication header")
            return field
        }
    }

    public var description: String {
        var out = scheme
        if let token { return out + " " + token }
        for (index, parameter) in parameters.enumerated() {
            out += index == 0 ? " " : ", "
            out += parameter.name + "="
            if parameter.isQuoted {
                Quoting.writeQuoted(parameter.value ?? "", into: &out)
            } else {
                out += parameter.value ?? ""
            }
        }
        return out
    }

    /// The structure with the digest `response` and any token masked: they stand for the secret.
    public var structure: Structure {
        .fields([
            ("scheme", .string(scheme)),
            ("token", token.map { _ in .string("***") }),
            (
                "parameters",
                .object(
                    parameters.map {
                        .init($0.name, .string($0.name.lowercased() == "response" ? "***" : $0.value ?? ""))
                    })
            ),
        ])
    }
}
