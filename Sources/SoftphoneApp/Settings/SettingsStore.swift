import SIPUserAgent

/// Why the settings could not be saved; the form keeps every value the user typed.
public struct SettingsSaveError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public var description: String { message }
}

/// Saves the form's values to the config file the agent and `--config` read.
public enum SettingsStore {
    /// Validates `values` as a whole configuration and writes it through `ConfigFile.write`
    /// (atomic: a 0600 temporary file renamed over the old one). With `sipterm.store_ha1` (the
    /// default) a password is written as `ha1` = MD5(user:realm:password) plus `realm` when the
    /// realm is known; the user is `authorization_user`, else the user part of `uri`.
    public static func save(values: [String: ConfigValue], to file: ConfigFile) throws(SettingsSaveError) {
        let configuration: Configuration
        do {
            configuration = try Configuration(values)
        } catch {
            throw SettingsSaveError(message: "not saved: \(error.errors.map(\.description).joined(separator: "; "))")
        }
        do {
            try file.write(configuration)
        } catch {
            throw SettingsSaveError(message: "not saved: \(error.description)")
        }
    }
}
