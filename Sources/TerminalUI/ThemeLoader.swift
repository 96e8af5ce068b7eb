import Foundation
import TOMLKit
import TOMLText

/// A theme file problem: the file, the line when known, and the reason.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path): line \(line): \(reason)" }
        return "\(path): \(reason)"
    }
}

extension Theme {
    /// Where theme names are looked up, in order: the repository's `Themes/` folder (found from this
    /// source file, for development), `$XDG_DATA_HOME/sipterm/themes` (default `~/.local/share`), and
    /// `/usr/share/sipterm/themes`.
    public static func searchPaths(
        environment: [String: String] = ProcessInfo.processInfo.environment, sourceFile: String = #filePath
    ) -> [String] {
        var repository = sourceFile as NSString
        for _ in 0..<3 { repository = repository.deletingLastPathComponent as NSString }
        let dataHome: String
        if let base = environment["XDG_DATA_HOME"], base.hasPrefix("/") {
            dataHome = base
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = home + "/.local/share"
        }
        return [repository.appendingPathComponent("Themes"), dataHome + "/sipterm/themes", "/usr/share/sipterm/themes"]
    }

    /// The theme names (`NAME.toml`) found in `searchPaths`, sorted, without duplicates.
    public static func available(searchPaths: [String] = Theme.searchPaths()) -> [String] {
        var names: Set<String> = ["default"]
        for directory in searchPaths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".toml") {
                names.insert(String(file.dropLast(".toml".count)))
            }
        }
        return names.sorted()
    }

    /// Loads a theme by path (anything with a `/` or ending in `.toml`) or by name (`NAME.toml`, the
    /// first found in `searchPaths`). It never fails: a missing or broken theme gives the built-in
    /// default theme and a warning naming the file, the line when known and the reason. The name
    /// `default` needs no file.
    public static func load(
        nameOrPath: String, searchPaths: [String] = Theme.searchPaths()
    ) -> (theme: Theme, warning: String?) {
        let fallback = " (using the default theme)"
        let path: String
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            path = nameOrPath
        } else {
            let candidates = searchPaths.map { ($0 as NSString).appendingPathComponent(nameOrPath + ".toml") }
            guard !nameOrPath.isEmpty,
                let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) })
            else {
                if nameOrPath == "default" { return (.builtIn, nil) }
                let places = searchPaths.isEmpty ? "(no search paths)" : searchPaths.joined(separator: ", ")
                return (.builtIn, "theme \"\(nameOrPath)\" not found in \(places)" + fallback)
            }
            path = found
        }
        do {
            return (try loadFile(path), nil)
        } catch {
            return (.builtIn, error.description + fallback)
        }
    }

    /// Reads and parses one theme file.
    public static func loadFile(_ path: String) throws(ThemeError) -> Theme {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ThemeError(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(path: path, reason: "cannot read the file")
        }
        guard data.count <= 1 << 20 else { throw ThemeError(path: path, reason: "larger than 1 MiB") }
        let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(String(decoding: data, as: UTF8.self), path: path, defaultName: fallbackName)
    }

    /// Parses theme file text; `path` only names the file in errors. A file without `name` is called
    /// `defaultName`.
    public static func parse(_ text: String, path: String, defaultName: String = "") throws(ThemeError) -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLText.parse(text)
        } catch {
            throw ThemeError(path: path, line: error.line > 0 ? error.line : nil, reason: error.reason)
        }
        let lines = ThemeLines(text)
        var name = defaultName
        var roles: [Role: Style] = [:]
        for (key, value) in table {
            switch key {
            case "name":
                guard let string = value.string else {
                    throw ThemeError(path: path, line: lines.line(ofKey: key), reason: "name must be a string")
                }
                name = string
            case "roles":
                guard let section = value.table else {
                    throw ThemeError(
                        path: path, line: lines.line(ofKey: key), reason: "roles must be a table ([roles])")
                }
                for (roleKey, item) in section {
                    let line = lines.line(ofKey: roleKey, section: "roles")
                    guard let role = Role(rawValue: roleKey) else {
                        throw ThemeError(path: path, line: line, reason: "unknown role \"\(roleKey)\"")
                    }
                    do {
                        roles[role] = try style(item, role: role)
                    } catch {
                        throw ThemeError(path: path, line: line, reason: error.reason)
                    }
                }
            default:
                throw ThemeError(path: path, line: lines.line(ofKey: key), reason: "unknown key \"\(key)\"")
            }
        }
        return Theme(name: name, roles: roles)
    }

    private static func style(_ item: any TOMLValueConvertible, role: Role) throws(ThemeError) -> Style {
        guard let fields = item.table else {
            throw ThemeError(
                path: "", reason: "role \(role.rawValue) must be a table like { fg = \"red\", attributes = [\"bold\"] }"
            )
        }
        var style = Style()
        for (field, value) in fields {
            switch field {
            case "fg": style.fg = try color(value, role: role)
            case "bg": style.bg = try color(value, role: role)
            case "attributes":
                guard let array = value.array else {
                    throw ThemeError(path: "", reason: "attributes for role \(role.rawValue) must be a list of names")
                }
                for element in array {
                    guard let word = element.string, let attribute = attributeNames[word] else {
                        let shown = element.string.map { "\"\($0)\"" } ?? element.debugDescription
                        throw ThemeError(path: "", reason: "unknown attribute \(shown) for role \(role.rawValue)")
                    }
                    style.attributes.insert(attribute)
                }
            default:
                throw ThemeError(
                    path: "", reason: "unknown key \"\(field)\" for role \(role.rawValue) (expected fg, bg, attributes)"
                )
            }
        }
        return style
    }

    private static func color(_ value: any TOMLValueConvertible, role: Role) throws(ThemeError) -> Color {
        if let number = value.int {
            guard let index = UInt8(exactly: number) else {
                throw ThemeError(path: "", reason: "colour \(number) out of range 0–255 for role \(role.rawValue)")
            }
            return .indexed(index)
        }
        guard let word = value.string else {
            throw ThemeError(path: "", reason: "colour for role \(role.rawValue) must be a name or a number 0–255")
        }
        if let color = colorNames[word] { return color }
        if let index = UInt8(word) { return .indexed(index) }
        throw ThemeError(path: "", reason: "unknown colour \"\(word)\" for role \(role.rawValue)")
    }

    /// Colour names accepted in theme files: `default` (or empty) for the terminal's own colour, and the
    /// 16 named palette colours.
    public static let colorNames: [String: Color] = [
        "": .default, "default": .default,
        "black": .black, "red": .red, "green": .green, "yellow": .yellow,
        "blue": .blue, "magenta": .magenta, "cyan": .cyan, "white": .white,
        "bright-black": .brightBlack, "bright-red": .brightRed, "bright-green": .brightGreen,
        "bright-yellow": .brightYellow, "bright-blue": .brightBlue, "bright-magenta": .brightMagenta,
        "bright-cyan": .brightCyan, "bright-white": .brightWhite,
    ]

    /// Attribute names accepted in theme files.
    public static let attributeNames: [String: Attributes] = [
        "bold": .bold, "dim": .dim, "italic": .italic, "underline": .underline, "reverse": .reverse,
    ]
}

/// Finds the line where a key is defined, for messages about values TOMLKit gives without positions.
private struct ThemeLines {
    let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line defining `key` (`key = …`, `"key" = …`, `section.key = …` or `[section.key]`).
    func line(ofKey key: String, section: String? = nil) -> Int? {
        let names = [key] + (section.map { ["\($0).\(key)"] } ?? [])
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let candidate: String
            if line.hasPrefix("[") {
                candidate = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
            } else if let equals = line.firstIndex(of: "=") {
                candidate = line[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            } else {
                continue
            }
            if names.contains(candidate) { return index + 1 }
        }
        return nil
    }
}
