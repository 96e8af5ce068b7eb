/// The little XML that event bodies are written in (PIDF, RPID, dialog-info), read into a tree
/// of elements. Namespace prefixes are dropped (`dm:person` is `person`): the documents that
/// reach a phone use the same local names whatever their prefixes, and a watcher only reads
/// what it knows. Comments, processing instructions and a DOCTYPE are skipped; CDATA and the
/// five predefined and numeric character references are read. Anything that is not well formed
/// is an error that says where.
public struct XMLTreeElement: Sendable, Equatable {
    /// The local name, without its namespace prefix.
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLTreeElement]
    /// The text directly inside, trimmed of surrounding white space.
    public var text: String

    /// The first child called `name`.
    public func child(_ name: String) -> XMLTreeElement? { children.first { $0.name == name } }

    /// Every child called `name`.
    public func children(_ name: String) -> [XMLTreeElement] { children.filter { $0.name == name } }

    /// Every element below this one called `name`, at any depth, in document order.
    public func descendants(_ name: String) -> [XMLTreeElement] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }
}

/// Why a body is not well-formed XML.
public struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

public enum XMLTree {
    /// Bodies larger than this are refused: no event document a phone reads comes near it.
    public static let maximumSize = 256 * 1024
    /// Elements nested deeper than this are refused.
    public static let maximumDepth = 64

    /// The root element of `text`.
    public static func parse(_ text: String) throws(XMLError) -> XMLTreeElement {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumSize else { throw XMLError(reason: "the document is over 256 KB") }
        var reader = XMLReader(bytes: bytes)
        return try reader.document()
    }
}

/// One pass over the bytes.
private struct XMLReader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(XMLError) -> XMLTreeElement {
        try skipMisc()
        guard peek() == UInt8(ascii: "<") else { throw fail("no root element") }
        let root = try element(depth: 0)
        try skipMisc()
        guard index == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// White space, comments, processing instructions and a DOCTYPE between elements.
    mutating func skipMisc() throws(XMLError) {
        while true {
            skipSpace()
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<!DOCTYPE") {
                try skip(past: ">")
            } else {
                return
            }
        }
    }

    mutating func element(depth: Int) throws(XMLError) -> XMLTreeElement {
        guard depth < XMLTree.maximumDepth else { throw fail("elements nested over 64 deep") }
        index += 1  // "<"
        let qualified = try name()
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard let byte = peek() else { throw fail("<\(qualified)> is not closed") }
            if byte == UInt8(ascii: "/") {
                index += 1
                guard peek() == UInt8(ascii: ">") else { throw fail("'/' not followed by '>' in <\(qualified)>") }
                index += 1
                return XMLTreeElement(name: Self.local(qualified), attributes: attributes, children: [], text: "")
            }
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            let attribute = try name()
            skipSpace()
            guard peek() == UInt8(ascii: "=") else { throw fail("attribute \(attribute) has no value") }
            index += 1
            skipSpace()
            attributes[Self.local(attribute)] = try quoted()
        }
        var children: [XMLTreeElement] = []
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("<\(qualified)> is not closed") }
            if byte != UInt8(ascii: "<") {
                try character(into: &text)
            } else if starts(with: "</") {
                index += 2
                let closing = try name()
                skipSpace()
                guard closing == qualified, peek() == UInt8(ascii: ">") else {
                    throw fail("</\(closing)> closes <\(qualified)>")
                }
                index += 1
                let content = String(decoding: text, as: UTF8.self)
                return XMLTreeElement(
                    name: Self.local(qualified), attributes: attributes, children: children,
                    text: content.trimmingXMLSpace())
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text += bytes[start..<index - 3]
            } else if starts(with: "<?") {
                try skip(past: "?>")
            } else {
                children.append(try element(depth: depth + 1))
            }
        }
    }

    /// One character of text, a reference decoded.
    mutating func character(into text: inout [UInt8]) throws(XMLError) {
        let byte = bytes[index]
        guard byte == UInt8(ascii: "&") else {
            text.append(byte)
            index += 1
            return
        }
        guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ";")), end - index <= 10 else {
            throw fail("an '&' that starts no reference")
        }
        let reference = String(decoding: bytes[index + 1..<end], as: UTF8.self)
        index = end + 1
        let named: [String: String] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
        if let value = named[reference] {
            text += Array(value.utf8)
        } else if reference.hasPrefix("#x"), let code = UInt32(reference.dropFirst(2), radix: 16),
            let scalar = Unicode.Scalar(code)
        {
            text += Array(String(Character(scalar)).utf8)
        } else if reference.hasPrefix("#"), let code = UInt32(reference.dropFirst()), let scalar = Unicode.Scalar(code)
        {
            text += Array(String(Character(scalar)).utf8)
        } else {
            throw fail("unknown reference &\(reference);")
        }
    }

    mutating func quoted() throws(XMLError) -> String {
        guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw fail("an attribute value is not quoted")
        }
        index += 1
        var value: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("an attribute value is not closed") }
            if byte == quote {
                index += 1
                return String(decoding: value, as: UTF8.self)
            }
            guard byte != UInt8(ascii: "<") else { throw fail("'<' in an attribute value") }
            try character(into: &value)
        }
    }

    mutating func name() throws(XMLError) -> String {
        let start = index
        while let byte = peek(), !Self.ends(byte) { index += 1 }
        guard index > start else { throw fail("a tag or attribute without a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    static func ends(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<")
    }

    static func local(_ qualified: String) -> String {
        qualified.split(separator: ":", maxSplits: 1).last.map(String.init) ?? qualified
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { Array($0) == Array(bytes[index..<index + count]) }
    }

    mutating func skipSpace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n")
        {
            index += 1
        }
    }

    mutating func skip(past terminator: StaticString) throws(XMLError) {
        let needle = terminator.withUTF8Buffer { Array($0) }
        var at = index
        while at + needle.count <= bytes.count {
            if bytes[at] == needle[0] && Array(bytes[at..<at + needle.count]) == needle {
                index = at + needle.count
                return
            }
            at += 1
        }
        throw fail("'\(terminator)' missing")
    }

    func fail(_ reason: String) -> XMLError {
        let line = bytes[..<min(index, bytes.count)].filter { $0 == UInt8(ascii: "\n") }.count + 1
        return XMLError(reason: "\(reason) (line \(line))")
    }
}

extension String {
    /// Without leading and trailing XML white space (space, tab, CR, LF).
    func trimmingXMLSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
