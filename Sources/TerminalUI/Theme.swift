/// A named colour role: what a piece of the screen means, so that a theme decides how it looks.
/// The raw value is the key in a theme file's `[roles]` table.
public enum Role: String, CaseIterable, Hashable, Sendable {
    case border
    case borderFocused = "border_focused"
    case title
    case text
    case dimText = "dim_text"
    case selected
    case statusBar = "status_bar"
    case hintKey = "hint_key"
    case hintLabel = "hint_label"
    case registered
    case unregistered
    case registrationFailed = "registration_failed"
    case connecting
    case callRinging = "call_ringing"
    case callActive = "call_active"
    case callHeld = "call_held"
    case callEnded = "call_ended"
    case error
    case warning
    case dialog
    case dialogButton = "dialog_button"
    case dialogButtonSelected = "dialog_button_selected"
    case logSent = "log_sent"
    case logReceived = "log_received"
    case banner
}

/// A theme: a style for each role. Themes are data (TOML files in `Themes/`, see its README); a
/// role a theme leaves out takes the built-in default theme's style.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var roles: [Role: Style]

    public init(name: String, roles: [Role: Style]) {
        self.name = name
        self.roles = roles
    }

    /// The style for `role`, falling back to the built-in default theme's.
    public subscript(role: Role) -> Style {
        roles[role] ?? Theme.builtInRoles[role] ?? Style()
    }

    /// The default dark theme, compiled in so that sipterm works without any theme file. It is
    /// identical to `Themes/default.toml`.
    public static let builtIn = Theme(name: "default", roles: builtInRoles)

    private static let builtInRoles: [Role: Style] = [
        .border: Style(fg: .brightBlack),
        .borderFocused: Style(fg: .cyan, attributes: .bold),
        .title: Style(fg: .brightWhite, attributes: .bold),
        .text: Style(),
        .dimText: Style(fg: .indexed(245)),
        .selected: Style(fg: .brightWhite, bg: .blue, attributes: .bold),
        .statusBar: Style(fg: .brightWhite, bg: .indexed(236)),
        .hintKey: Style(fg: .black, bg: .cyan, attributes: .bold),
        .hintLabel: Style(fg: .white),
        .registered: Style(fg: .brightGreen, attributes: .bold),
        .unregistered: Style(fg: .yellow),
        .registrationFailed: Style(fg: .brightRed, attributes: .bold),
        .connecting: Style(fg: .brightYellow),
        .callRinging: Style(fg: .brightYellow, attributes: .bold),
        .callActive: Style(fg: .brightGreen, attributes: .bold),
        .callHeld: Style(fg: .cyan),
        .callEnded: Style(fg: .brightBlack),
        .error: Style(fg: .brightRed, attributes: .bold),
        .warning: Style(fg: .yellow),
        .dialog: Style(fg: .brightWhite, bg: .indexed(237)),
        .dialogButton: Style(fg: .white, bg: .indexed(239)),
        .dialogButtonSelected: Style(fg: .black, bg: .cyan, attributes: .bold),
        .logSent: Style(fg: .cyan),
        .logReceived: Style(fg: .magenta),
        .banner: Style(fg: .brightCyan, attributes: .bold),
    ]
}
