import TOMLKit

/// A TOML syntax error with its position (1-based line and column).
public struct TOMLTextError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "\(line):\(column): \(reason)" }
}

/// The one door to TOMLKit's parser for config, `--set` values and themes. toml++ 3.4 (inside
/// TOMLKit) aborts the process, or with NDEBUG assumes the impossible, on one kind of invalid
/// text: a `}` where an array expects a value (`[}` or `[1, }`) and a table header with nothing
/// before the line's end (`[` alone on a line), both found by FuzzConfig. Such text
/// is refused here first, with its position, as toml++ should have; all else goes to toml++.
public enum TOMLText {
    public static func parse(_ text: String) throws(TOMLTextError) -> TOMLTable {
        if let (line, column) = braceWhereAValueBelongs(text) {
            throw TOMLTextError(line: line, column: column, reason: "expected a value or ']', saw '}'")
        }
        if let (line, column) = tableHeaderWithoutName(text) {
            throw TOMLTextError(line: line, column: column, reason: "expected a table name after '['")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLTextError(
                line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw TOMLTextError(line: 0, column: 0, reason: "\(error)")
        }
    }

    /// The significant bytes of `bytes` with their offsets: blanks and comments left out, each
    /// string reduced to its opening quote. Both checks read TOML's structure from these.
    static func significant(_ bytes: [UInt8]) -> [(byte: UInt8, offset: Int)] {
        var found: [(byte: UInt8, offset: Int)] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                index = endOfString(opening: byte, in: bytes, from: index)
            default:
                break
            }
            found.append((byte, index - 1))
        }
        return found
    }

    /// 1-based line and column of `offset`.
    static func position(_ offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        let before = bytes[..<offset]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (before.filter { $0 == UInt8(ascii: "\n") }.count + 1, offset - lineStart + 1)
    }

    /// The position of the first `}` outside strings and comments whose previous significant
    /// character is `[` or `,`: never valid TOML (an inline table takes no trailing comma).
    static func braceWhereAValueBelongs(_ text: String) -> (Int, Int)? {
        let bytes = Array(text.utf8)
        let tokens = significant(bytes)
        for (previous, token) in zip(tokens, tokens.dropFirst())
        where token.byte == UInt8(ascii: "}")
            && (previous.byte == UInt8(ascii: "[") || previous.byte == UInt8(ascii: ","))
        {
            return position(token.offset, in: bytes)
        }
        return nil
    }

    /// The position of the first table header (`[` or `[[` outside any value) with only blanks
    /// after it on its line: toml++ asserts that a key follows.
    static func tableHeaderWithoutName(_ text: String) -> (Int, Int)? {
        let bytes = Array(text.utf8)
        var previous: UInt8 = 0
        var arrays = 0
        var tables = 0
        var headerLineEnd = -1
        for token in significant(bytes) where token.offset > headerLineEnd {
            switch token.byte {
            case UInt8(ascii: "{"): tables += 1
            case UInt8(ascii: "}"): tables = max(0, tables - 1)
            case UInt8(ascii: "]") where arrays > 0: arrays -= 1
            case UInt8(ascii: "[")
            where arrays > 0 || tables > 0
                || [UInt8(ascii: "="), UInt8(ascii: "["), UInt8(ascii: ",")].contains(previous):
                arrays += 1
            case UInt8(ascii: "["):
                var next = token.offset + 1
                if next < bytes.count, bytes[next] == UInt8(ascii: "[") { next += 1 }
                while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") {
                    next += 1
                }
                if next == bytes.count || bytes[next] == UInt8(ascii: "\r") || bytes[next] == UInt8(ascii: "\n") {
                    return position(token.offset, in: bytes)
                }
                // The header's name and closing brackets are not values: skip to its line's end.
                headerLineEnd = bytes[next...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                previous = UInt8(ascii: "]")
                continue
            default: break
            }
            previous = token.byte
        }
        return nil
    }

    /// Where a basic or literal string (one-line or multi-line) whose opening quote ends just
    /// before `start` ends; an unterminated string runs to the end.
    static func endOfString(opening quote: UInt8, in bytes: [UInt8], from start: Int) -> Int {
        func quotes(at position: Int) -> Bool {
            position + 1 < bytes.count && bytes[position] == quote && bytes[position + 1] == quote
        }
        let multiLine = quotes(at: start)
        var index = multiLine ? start + 2 : start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                index += 1
            } else if byte == quote, !multiLine || quotes(at: index) {
                guard multiLine else { return index }
                // A run of up to five quotes closes it: the last three are the delimiter.
                index += 2
                for _ in 0..<2 where index < bytes.count && bytes[index] == quote { index += 1 }
                return index
            }
        }
        return bytes.count
    }
}
