import SIPUserAgent

/// What the reducer asks the runtime to do outside the state: talk to the UA, ring the bell, quit.
/// The runtime does it and reports back with actions (events, notices).
public enum AppEffect: Sendable, Equatable {
    case call(target: String)
    case answer(id: String)
    case terminate(id: String, statusCode: Int?, reasonPhrase: String?)
    case hold(id: String)
    case unhold(id: String)
    case mute(id: String)
    case unmute(id: String)
    case sendDTMF(id: String, tones: String)
    case refer(id: String, target: String)
    case acceptRefer(id: String)
    case rejectRefer(id: String)
    case sendMessage(target: String, body: String)
    case sendOptions(target: String?)
    case register
    case unregister
    case set(name: String, value: String)
    case get(name: String)
    case save
    case theme(String)
    case openSettings
    case settings(SettingsRequest)
    /// The settings screen closed: show the configured theme again (a preview may be on screen).
    case settingsClosed
    case bell
    case quit
}
