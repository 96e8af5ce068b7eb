import Foundation
import SIPUserAgent

/// One command line of the headless agent: `{"id":N,"cmd":"…", …}` with JsSIP's method names
/// and option names.
struct AgentRequest: Decodable {
    /// Echoed in the reply; a number or a string.
    var id: ConfigValue?
    var cmd: String
    var target: String?
    var body: String?
    var contentType: String?
    var all: Bool?
    var param: String?
    var value: ConfigValue?
    /// `wait` (a sipterm extension for scripts): an event name and a timeout in seconds.
    var event: String?
    var timeout: Double?
    /// Call commands (JsSIP's option names).
    var session: String?
    var extraHeaders: [String]?
    var sessionTimersExpires: Int?
    var statusCode: Int?
    var reasonPhrase: String?
    var tones: String?
    var duration: Int?
    var interToneGap: Int?
    var transportType: String?
    var replaces: String?
    /// Subscriptions (JsSIP's `ua.subscribe` and `ua.notify` arguments and options).
    var subscriber: String?
    var notifier: String?
    var eventName: String?
    var accept: String?
    var expires: Int?
    var allowEvents: String?
    var pending: Bool?
    var defaultExpires: Int?
    var reason: String?
    var retryAfter: Int?

    enum CodingKeys: String, CodingKey {
        case id, cmd, target, body, contentType, all, param, value, event, timeout, session, extraHeaders
        case sessionTimersExpires, tones, duration, interToneGap, transportType, replaces
        case subscriber, notifier, eventName, accept, expires, allowEvents, pending, defaultExpires, reason, retryAfter
        case statusCode = "status_code"
        case reasonPhrase = "reason_phrase"
    }

    static func decode(_ line: String) throws -> AgentRequest {
        try JSONDecoder().decode(AgentRequest.self, from: Data(line.utf8))
    }
}
