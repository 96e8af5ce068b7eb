/// One header field as read or to be written. `wireName` keeps the spelling it arrived with
/// (a compact `v`, an odd-cased `ViA`); `line` is where it started, for error messages.
/// Neither takes part in equality.
public struct HeaderField: Sendable, Equatable {
    public var name: HeaderName
    /// The value with line folding undone and surrounding whitespace removed. A slice of the
    /// message it was read from, so reading a message allocates one string for all its headers.
    public var value: Substring
    public var wireName: String?
    public var line: Int?

    public init(_ name: HeaderName, _ value: some StringProtocol, wireName: String? = nil, line: Int? = nil) {
        self.name = name
        self.value = Substring(value)
        self.wireName = wireName
        self.line = line
    }

    public static func == (lhs: HeaderField, rhs: HeaderField) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value
    }
}

/// The header fields of a message, in order. Values stay text until asked for as a type, so a
/// message is cheap to read and forward, and a bad value fails only the code that needs it.
public struct Headers: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public private(set) var fields: [HeaderField]

    public init(_ fields: [HeaderField] = []) { self.fields = fields }
    public init(arrayLiteral elements: HeaderField...) { self.fields = elements }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> HeaderField { fields[position] }

    public func contains(_ name: HeaderName) -> Bool { fields.contains { $0.name == name } }

    /// The first field's value.
    public subscript(name: HeaderName) -> Substring? { fields.first { $0.name == name }?.value }

    /// Every field value of that name, as written (a list header may hold several values each).
    public func all(_ name: HeaderName) -> [Substring] { fields.filter { $0.name == name }.map(\.value) }

    public mutating func append(_ name: HeaderName, _ value: String) { fields.append(HeaderField(name, value)) }

    public mutating func append(_ field: HeaderField) { fields.append(field) }

    /// Replaces every field of that name with one field, kept at the place of the first.
    public mutating func set(_ name: HeaderName, _ value: String) {
        guard let first = fields.firstIndex(where: { $0.name == name }) else {
            fields.append(HeaderField(name, value))
            return
        }
        fields[first] = HeaderField(name, value)
        var index = fields.count - 1
        while index > first {
            if fields[index].name == name { fields.remove(at: index) }
            index -= 1
        }
    }

    public mutating func remove(_ name: HeaderName) { fields.removeAll { $0.name == name } }

    /// Inserts a field before all others (a proxy's Via, a Route).
    public mutating func prepend(_ name: HeaderName, _ value: String) { fields.insert(HeaderField(name, value), at: 0) }

    /// Every value of a header decoded as `type`, list elements split; errors name the line and header.
    public func values<T: SIPHeaderValue>(_ name: KnownHeader, as type: T.Type = T.self) throws -> [T] {
        var result: [T] = []
        // By index: a for-in copies every field it passes over.
        for index in fields.indices where fields[index].name.known == name {
            let value = fields[index].value
            do {
                if name.isList {
                    try HeaderList.forEach(value) { result.append(try T(parsing: $0)) }
                } else {
                    result.append(try T(parsing: value))
                }
            } catch let error as SIPParseError {
                throw error.located(line: fields[index].line, header: fields[index].wireName ?? fields[index].name.text)
            }
        }
        return result
    }

    /// The first value of a header decoded as `type`, or nil when the header is absent.
    public func value<T: SIPHeaderValue>(_ name: KnownHeader, as type: T.Type = T.self) throws -> T? {
        // The field itself is not copied (every lookup of every message passes here): only its value.
        guard let index = fields.firstIndex(where: { $0.name.known == name }) else { return nil }
        let value = fields[index].value
        do {
            if name.isList, let first = try HeaderList.first(value) {
                return try T(parsing: first)
            }
            return try T(parsing: value)
        } catch let error as SIPParseError {
            throw error.located(line: fields[index].line, header: fields[index].wireName ?? fields[index].name.text)
        }
    }
}
