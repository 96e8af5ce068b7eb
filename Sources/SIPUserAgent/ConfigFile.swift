import Foundation
import SIPMessage
import TOMLKit
import TOMLText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A config file problem, naming the file.
public enum ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// A TOML syntax error, with its position.
    case syntax(path: String, line: Int, column: Int, reason: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .syntax(let path, let line, let column, let reason): return "\(path):\(line):\(column): \(reason)"
        case .unwritable(let path, let reason): return "\(path): cannot write: \(reason); the old file is unchanged"
        }
    }
}

/// sipterm's TOML config file: JsSIP parameter names at the top level, sipterm's own settings
/// in a `[sipterm]` table.
public struct ConfigFile: Sendable {
    public let path: String

    /// The raw values of a file and warnings about keys it does not know.
    public struct Contents: Sendable, Equatable {
        public var values: [String: ConfigValue]
        public var warnings: [String]
    }

    /// `path` when given, else `$XDG_CONFIG_HOME/sipterm/config.toml`, else `~/.config/sipterm/config.toml`.
    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.path = path ?? Self.defaultPath(environment: environment)
    }

    /// The default location. A relative `XDG_CONFIG_HOME` is ignored, as the XDG spec says.
    public static func defaultPath(environment: [String: String]) -> String {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") {
            return base + "/sipterm/config.toml"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/sipterm/config.toml"
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Reads and parses the file; unknown keys become warnings, values are not yet validated.
    public func read() throws(ConfigFileError) -> Contents {
        // Plain read(2): works for regular files and for /dev/null or a pipe alike.
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: Self.errnoText()) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: Self.errnoText())
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 1 << 20 { throw .unreadable(path: path, reason: "larger than 1 MiB") }
        }
        return try parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses TOML text as the contents of this file.
    public func parse(_ text: String) throws(ConfigFileError) -> Contents {
        let table: TOMLTable
        do {
            table = try TOMLText.parse(text)
        } catch {
            throw .syntax(path: path, line: error.line, column: error.column, reason: error.reason)
        }
        var values: [String: ConfigValue] = [:]
        var warnings: [String] = []
        for (key, item) in table {
            if key == "sipterm" {
                guard let section = item.table else {
                    warnings.append("\(path): 'sipterm' must be a table ([sipterm]); ignored")
                    continue
                }
                for (subkey, subitem) in section {
                    let name = "sipterm." + subkey
                    if Parameters.named(name) != nil {
                        values[name] = ConfigValue(toml: subitem)
                    } else {
                        warnings.append("\(path): unknown key '\(name)' ignored")
                    }
                }
            } else if let parameter = Parameters.named(key), parameter.fileSection == nil {
                values[key] = ConfigValue(toml: item)
            } else if let note = Parameters.removed[key] {
                warnings.append("\(path): unknown key '\(key)' ignored (\(note))")
            } else {
                warnings.append("\(path): unknown key '\(key)' ignored")
            }
        }
        return Contents(values: values, warnings: warnings.sorted())
    }

    /// Reads the file and builds the configuration from it (plus `overrides`, e.g. `--set`).
    public func load(
        overrides: [String: ConfigValue] = [:]
    ) throws -> (configuration: Configuration, warnings: [String]) {
        let contents = try read()
        let raw = contents.values.merging(overrides) { _, override in override }
        return (try Configuration(raw), contents.warnings)
    }

    /// The file text for a configuration: only values that differ from the defaults; with
    /// `sipterm.store_ha1` (the default) a password is saved as its HA1 when realm is known.
    public static func render(_ configuration: Configuration) -> String {
        var values = configuration.values
        if configuration.storeHA1, let password = configuration.password, let realm = configuration.realm,
            let user = configuration.authorizationUser
        {
            values["ha1"] = .string(DigestAlgorithm.md5.hash("\(user):\(realm):\(password)"))
            values.removeValue(forKey: "password")
        }
        var top: [String] = []
        var own: [String] = []
        for parameter in Parameters.all {
            guard let value = values[parameter.name], value != parameter.defaultValue else { continue }
            let line = "\(parameter.fileKey) = \(value.description)"
            if parameter.fileSection == nil { top.append(line) } else { own.append(line) }
        }
        var text = "# sipterm configuration: JsSIP parameter names; sipterm's own settings under [sipterm].\n"
        text += top.map { $0 + "\n" }.joined()
        if !own.isEmpty {
            text += "\n[sipterm]\n" + own.map { $0 + "\n" }.joined()
        }
        return text
    }

    /// Saves the configuration atomically: a 0600 temporary file in the same directory, fsync,
    /// rename over the old file. The directory is created (0700) when missing. On failure the
    /// old file is left as it was.
    public func write(_ configuration: Configuration) throws(ConfigFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unwritable(path: path, reason: "cannot create directory \(parent): \(Self.reason(error))")
        }
        let bytes = Array(Self.render(configuration).utf8)
        let name = (path as NSString).lastPathComponent
        let temporary = parent + "/." + name + ".\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: "cannot create \(temporary): \(Self.errnoText())")
        }
        var failure: String?
        if fchmod(descriptor, 0o600) != 0 { failure = "chmod: \(Self.errnoText())" }
        var offset = 0
        while failure == nil, offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = "write: \(Self.errnoText())"
            } else {
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "fsync: \(Self.errnoText())" }
        if close(descriptor) != 0, failure == nil { failure = "close: \(Self.errnoText())" }
        if failure == nil, rename(temporary, path) != 0 { failure = "rename: \(Self.errnoText())" }
        if let failure {
            unlink(temporary)
            throw .unwritable(path: path, reason: failure)
        }
        // Make the rename itself durable; a failure here leaves a complete file either way.
        let directoryDescriptor = open(parent, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.read(descriptor, buffer, count)
    #else
        return Darwin.read(descriptor, buffer, count)
    #endif
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(descriptor, buffer, count)
    #else
        return Darwin.write(descriptor, buffer, count)
    #endif
}

/// TOML text for values sipterm writes.
enum TOMLWriter {
    /// A TOML basic string, escaping quotes, backslashes and control characters.
    static func quote(_ text: String) -> String { QuotedText.basic(text) }
}
