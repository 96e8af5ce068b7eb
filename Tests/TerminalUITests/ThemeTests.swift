import Foundation
import Testing

@testable import TerminalUI

@Suite("Themes as data")
struct ThemeTests {
    static let themesDirectory: String = {
        var path = #filePath as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path.appendingPathComponent("Themes")
    }()

    static let shipped = ["default", "light", "high-contrast", "monochrome"]

    /// Writes `text` as `name` in a fresh temporary directory and returns its path.
    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = NSTemporaryDirectory() + "sipterm-theme-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: shipped)
    func shippedThemeLoadsAndDefinesEveryRole(name: String) {
        let (theme, warning) = Theme.load(nameOrPath: name, searchPaths: [Self.themesDirectory])
        #expect(warning == nil)
        #expect(theme.name == name)
        #expect(Set(theme.roles.keys) == Set(Role.allCases))
    }

    @Test func shippedThemesAreTheOnesAvailable() {
        #expect(Theme.available(searchPaths: [Self.themesDirectory]) == Self.shipped.sorted())
    }

    @Test func builtInEqualsDefaultFile() throws {
        let theme = try Theme.loadFile(Self.themesDirectory + "/default.toml")
        #expect(theme == Theme.builtIn)
        for role in Role.allCases {
            #expect(theme[role] == Theme.builtIn[role], "\(role)")
        }
    }

    @Test func monochromeUsesNoColours() throws {
        let theme = try Theme.loadFile(Self.themesDirectory + "/monochrome.toml")
        for role in Role.allCases {
            #expect(theme[role].fg == .default && theme[role].bg == .default, "\(role)")
        }
        #expect(theme[.selected].attributes.contains(.reverse))
    }

    @Test func syntaxErrorGivesDefaultAndWarning() throws {
        let path = try temporaryFile("x.toml", "name = \"x\"\n[roles]\nborder = { fg = \"red\"\n")
        let (theme, warning) = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(theme == Theme.builtIn)
        #expect(
            warning
                == "\(path): line 3: Error while parsing inline table: expected key or closing '}', saw '\\n'"
                + " (using the default theme)")
    }

    @Test func unknownColourNamesFileLineAndRole() throws {
        let text = """
            # a theme
            name = "x"

            [roles]
            border = { fg = "red" }
            title = { fg = 208, attributes = ["bold"] }
            selected = { fg = "blurple", bg = "blue" }
            """
        let path = try temporaryFile("x.toml", text)
        let (theme, warning) = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(theme == Theme.builtIn)
        #expect(warning == "\(path): line 7: unknown colour \"blurple\" for role selected (using the default theme)")
    }

    @Test func colourOutOfRange() throws {
        let path = try temporaryFile("x.toml", "[roles]\ntext = { bg = 256 }\n")
        let (_, warning) = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(warning == "\(path): line 2: colour 256 out of range 0–255 for role text (using the default theme)")
    }

    @Test func unknownRole() throws {
        let path = try temporaryFile("x.toml", "name = \"x\"\n[roles]\nblinky = { fg = \"red\" }\n")
        let (theme, warning) = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(theme == Theme.builtIn)
        #expect(warning == "\(path): line 3: unknown role \"blinky\" (using the default theme)")
    }

    @Test func badAttribute() throws {
        let path = try temporaryFile("x.toml", "[roles]\n\n[roles.title]\nfg = \"red\"\nattributes = [\"blink\"]\n")
        let (theme, warning) = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(theme == Theme.builtIn)
        #expect(warning == "\(path): line 3: unknown attribute \"blink\" for role title (using the default theme)")
    }

    @Test func unknownKeyInRole() throws {
        let path = try temporaryFile("x.toml", "[roles]\ntext = { foreground = \"red\" }\n")
        let (_, warning) = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(
            warning
                == "\(path): line 2: unknown key \"foreground\" for role text (expected fg, bg, attributes)"
                + " (using the default theme)")
    }

    @Test func partialThemeFallsBackPerRoleAndReadsColourForms() throws {
        let text = """
            name = "partial"
            [roles]
            text = { fg = "bright-blue", bg = "" }
            title = { fg = "default", bg = "17", attributes = ["italic", "underline"] }
            """
        let theme = try Theme.parse(text, path: "partial.toml")
        #expect(theme.name == "partial")
        #expect(theme[.text] == Style(fg: .brightBlue))
        #expect(theme[.title] == Style(bg: .indexed(17), attributes: [.italic, .underline]))
        #expect(theme.roles[.selected] == nil)
        #expect(theme[.selected] == Theme.builtIn[.selected])
    }

    @Test func nameLookupVersusPath() throws {
        let path = try temporaryFile("mine.toml", "name = \"mine\"\n[roles]\ntext = { fg = \"green\" }\n")
        let directory = (path as NSString).deletingLastPathComponent
        // By name: NAME.toml in the first search path that has it.
        let byName = Theme.load(nameOrPath: "mine", searchPaths: ["/nonexistent", directory])
        #expect(byName.warning == nil)
        #expect(byName.theme[.text] == Style(fg: .green))
        // By path: search paths are not used.
        let byPath = Theme.load(nameOrPath: path, searchPaths: [])
        #expect(byPath.warning == nil)
        #expect(byPath.theme == byName.theme)
        // A missing name, and a missing path.
        let missing = Theme.load(nameOrPath: "nope", searchPaths: [directory])
        #expect(missing.theme == Theme.builtIn)
        #expect(missing.warning == "theme \"nope\" not found in \(directory) (using the default theme)")
        let missingPath = Theme.load(nameOrPath: directory + "/nope.toml", searchPaths: [])
        #expect(missingPath.warning == "\(directory)/nope.toml: no such file (using the default theme)")
        // "default" needs no file.
        let builtIn = Theme.load(nameOrPath: "default", searchPaths: [])
        #expect(builtIn.warning == nil && builtIn.theme == Theme.builtIn)
    }

    @Test func searchPathsFollowXDG() {
        let paths = Theme.searchPaths(
            environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"], sourceFile: "/repo/Sources/TerminalUI/X.swift")
        #expect(paths == ["/repo/Themes", "/data/sipterm/themes", "/usr/share/sipterm/themes"])
        let relative = Theme.searchPaths(
            environment: ["XDG_DATA_HOME": "data", "HOME": "/home/u"], sourceFile: "/r/a/b/c")
        #expect(relative[1] == "/home/u/.local/share/sipterm/themes")
    }
}
