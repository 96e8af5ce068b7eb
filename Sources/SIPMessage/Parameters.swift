/// One `;name[=value]` parameter. Names compare without regard to case; `isQuoted` remembers a
/// quoted-string value so the header is written back the way it was read.
public struct Parameter: Sendable, Hashable {
    public var name: String
    public var value: String?
    public var isQuoted: Bool

    public init(_ name: String, _ value: String? = nil, quoted: Bool = false) {
        self.name = name
        self.value = value
        self.isQuoted = quoted
    }
}

/// An ordered list of parameters (of a URI or of a header value), looked up by name without
/// regard to case, and written back in the order read.
public struct Parameters: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public private(set) var elements: [Parameter]

    public init(_ elements: [Parameter] = []) { self.elements = elements }
    public init(arrayLiteral elements: Parameter...) { self.elements = elements }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> Parameter { elements[position] }

    func index(of name: String) -> Int? {
        elements.firstIndex { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// True when the parameter is present, with or without a value.
    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// The parameter's value; nil when it is absent or has no value.
    public subscript(name: String) -> String? {
        guard let index = index(of: name) else { return nil }
        return elements[index].value
    }

    /// Sets (replacing) a parameter; a nil value writes the bare name.
    public mutating func set(_ name: String, _ value: String? = nil, quoted: Bool = false) {
        let parameter = Parameter(name, value, quoted: quoted)
        if let index = index(of: name) {
            elements[index] = parameter
        } else {
            append(parameter)
        }
    }

    public mutating func remove(_ name: String) {
        elements.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func append(_ parameter: Parameter) {
        // Room for a header's usual few at once: growing 1, 2, 4 cost an allocation each.
        if elements.isEmpty { elements.reserveCapacity(4) }
        elements.append(parameter)
    }

    /// Writes `;name=value` for each parameter of a header value (quoted values re-quoted).
    func writeHeaderParameters(into out: inout String) {
        for parameter in elements {
            out += ";"
            out += parameter.name
            if let value = parameter.value {
                out += "="
                if parameter.isQuoted {
                    Quoting.writeQuoted(value, into: &out)
                } else {
                    out += value
                }
            }
        }
    }

    /// Reads `*( SEMI generic-param )` of a header value, stopping before `,` or the end.
    /// Values are tokens, hosts (IPv6 with or without brackets) or quoted strings.
    /// `liberal` takes any value up to the next `;`, comma or whitespace, empty included: what
    /// proxies write into Vias sipterm only echoes (`branch=z9hG4bK/a=b+c`, `received=`).
    static func scanHeaderParameters(_ scanner: inout Scanner, liberal: Bool = false) throws -> Parameters {
        var parameters = Parameters()
        while scanner.separator(UInt8(ascii: ";")) {
            guard let name = scanner.token() else {
                throw SIPParseError("empty parameter (expected a name after ';')")
            }
            if scanner.separator(UInt8(ascii: "=")) {
                if scanner.peek == UInt8(ascii: "\"") {
                    parameters.append(Parameter(name, try scanner.quotedString(), quoted: true))
                } else if liberal {
                    let range = scanner.scan(until: Self.endsLiberalValue)
                    parameters.append(Parameter(name, scanner.string(range)))
                } else {
                    let range = scanner.scan(while: [.token, .paramValueExtra])
                    guard !range.isEmpty else { throw scanner.unexpected(expecting: "a value for parameter \(name)") }
                    parameters.append(Parameter(name, scanner.string(range)))
                }
            } else {
                parameters.append(Parameter(name))
            }
        }
        return parameters
    }

    private static func endsLiberalValue(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ";") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}

extension Parameters {
    /// Reads `*( ";" pname [ "=" pvalue ] )` of a URI, `%HH` decoded, stopping at `?` or the end.
    static func scanURIParameters(_ scanner: inout Scanner) throws -> Parameters {
        var parameters = Parameters()
        let endOfName = { (byte: UInt8) in
            byte == UInt8(ascii: "=") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "?")
        }
        while scanner.consume(UInt8(ascii: ";")) {
            let nameRange = scanner.scan(until: endOfName)
            guard !nameRange.isEmpty else { throw SIPParseError("empty URI parameter") }
            let name = try PercentEncoding.decode(
                scanner.bytes(nameRange), allowed: [.unreserved, .paramExtra], what: "URI parameter name")
            var value: String?
            if scanner.consume(UInt8(ascii: "=")) {
                let valueRange = scanner.scan(until: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "?") })
                value = try PercentEncoding.decode(
                    scanner.bytes(valueRange), allowed: [.unreserved, .paramExtra], what: "URI parameter \(name)")
            }
            parameters.append(Parameter(name, value))
        }
        return parameters
    }

    /// Writes `;name=value` for each URI parameter, escaping what `paramchar` does not allow.
    func writeURIParameters(into out: inout String) {
        for parameter in elements {
            out += ";"
            PercentEncoding.encode(parameter.name, allowed: [.unreserved, .paramExtra], into: &out)
            if let value = parameter.value {
                out += "="
                PercentEncoding.encode(value, allowed: [.unreserved, .paramExtra], into: &out)
            }
        }
    }
}

extension SIPGrammar.Class {
    /// Besides token characters, what a header parameter value may hold: the colons and
    /// brackets of an IPv6 `received`, and `/` for values such as `maddr` paths.
    static let paramValueExtra = SIPGrammar.Class(rawValue: 1 << 12)
}
