import SIPUserAgent

/// What the settings form asks of the app after a key press.
public enum SettingsRequest: Sendable, Equatable {
    /// Apply these changes to the running UA: only names whose value differs from the running one;
    /// an emptied field is the string "" (unset, back to the default).
    case apply([String: ConfigValue])
    /// Write these values (every field that is set, normalised) to the config file.
    case save([String: ConfigValue])
    /// Reload the saved values into a new form.
    case revert
    /// Leave the form (it has already asked about unapplied or unsaved changes).
    case close
    /// The theme choice moved: show this theme until the form is applied or closed.
    case previewTheme(String)
}
