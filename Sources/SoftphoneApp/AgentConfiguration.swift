import SIPUserAgent

/// The agent's start-up configuration: the config file, then `--set KEY=VALUE` on top.
public enum AgentConfiguration {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads and validates; warnings (unknown keys) are returned for the log.
    public static func load(path: String?, assignments: [String]) throws(Failure) -> (Configuration, [String]) {
        let file = ConfigFile(path: path)
        var raw: [String: ConfigValue] = [:]
        var warnings: [String] = []
        if file.exists || path != nil {
            do {
                let contents = try file.read()
                raw = contents.values
                warnings = contents.warnings
            } catch {
                throw Failure(description: "\(error)")
            }
        }
        for assignment in assignments {
            guard let (name, value) = ConfigValue.assignment(assignment) else {
                throw Failure(description: "--set \(assignment): expected KEY=VALUE")
            }
            raw[name] = value
        }
        do {
            return (try Configuration(raw), warnings)
        } catch {
            throw Failure(description: error.errors.first?.description ?? "\(error)")
        }
    }
}
