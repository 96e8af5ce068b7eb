import Foundation

/// Which processes run, read from /proc (no procps needed on a fresh machine).
public enum RunningProcesses {
    /// Whether a process whose command line (arguments joined by spaces) starts with `prefix` runs.
    public static func any(commandLineStartingWith prefix: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries where entry.allSatisfy(\.isNumber) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else {
                continue
            }
            let line = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
            if line.hasPrefix(prefix) { return true }
        }
        return false
    }
}
