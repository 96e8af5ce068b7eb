import Foundation
import SIPUserAgent

/// JSON for the headless agent: events and replies as one-line objects, configuration values
/// to and from JSON.
enum AgentJSON {
    static func line(_ object: [String: Any]) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return #"{"ok":false,"error":"unencodable output"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ value: ConfigValue) -> Any {
        switch value {
        case .string(let text): return text
        case .integer(let number): return number
        case .double(let number): return number
        case .bool(let flag): return flag
        case .array(let items): return items.map(json)
        case .table(let table): return table.mapValues(json)
        }
    }

    static let timestamp: @Sendable (Date) -> String = { date in
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// An event as JsSIP's payload fields, responses flattened to `status_code`/`reason_phrase`.
    static func event(_ event: UAEvent, at date: Date = Date()) -> [String: Any] {
        var object: [String: Any] = ["event": event.name, "timestamp": timestamp(date)]
        switch event {
        case .connecting(let socket, let attempts):
            object["socket"] = socket
            object["attempts"] = attempts
        case .connected(let socket):
            object["socket"] = socket
        case .disconnected(let socket, let error, let code, let reason):
            object["socket"] = socket
            object["error"] = error
            object["code"] = code ?? NSNull()
            object["reason"] = reason ?? NSNull()
        case .registered(let code, let phrase, let expires):
            object["status_code"] = code
            object["reason_phrase"] = phrase
            object["expires"] = expires
        case .unregistered(let code, let phrase, let cause):
            object["status_code"] = code ?? NSNull()
            object["reason_phrase"] = phrase ?? NSNull()
            object["cause"] = cause ?? NSNull()
        case .registrationFailed(let cause, let code, let phrase):
            object["cause"] = cause
            object["status_code"] = code ?? NSNull()
            object["reason_phrase"] = phrase ?? NSNull()
        case .registrationExpiring:
            break
        case .newMessage(let originator, let from, let to, let contentType, let body, let code):
            object["originator"] = originator.rawValue
            object["from"] = from
            object["to"] = to
            object["contentType"] = contentType ?? NSNull()
            object["body"] = body
            if let code { object["status_code"] = code }
        case .newOptions(let originator, let from):
            object["originator"] = originator.rawValue
            object["from"] = from
        case .sipEvent(let package, let from, let contentType, let body):
            object["event_package"] = package ?? NSNull()
            object["from"] = from
            object["contentType"] = contentType ?? NSNull()
            object["body"] = body
        case .configChanged(let parameters, let effect):
            object["parameters"] = parameters
            object["effect"] = effect
        case .trace(let direction, let transport, let remote, let text):
            object["direction"] = direction.rawValue
            object["transport"] = transport
            object["remote"] = remote
            object["message"] = text
        default:
            callEvent(event, into: &object)
        }
        return object
    }

    /// Call events: every one carries `session`, most an `originator`.
    private static func callEvent(_ event: UAEvent, into object: inout [String: Any]) {
        func call(_ session: String, _ originator: UAEvent.Originator? = nil, _ fields: [String: Any?] = [:]) {
            object["session"] = session
            if let originator { object["originator"] = originator.rawValue }
            for (key, value) in fields { object[key] = value ?? NSNull() }
        }
        switch event {
        case .newRTCSession(let session, let originator, let remote, let local):
            call(session, originator, ["remote_identity": remote, "local_identity": local])
        case .progress(let session, let originator, let code, let phrase):
            call(session, originator, ["status_code": code, "reason_phrase": phrase])
        case .accepted(let session, let originator), .confirmed(let session, let originator),
            .hold(let session, let originator), .unhold(let session, let originator):
            call(session, originator)
        case .ended(let session, let originator, let cause, let code):
            call(session, originator, ["cause": cause, "status_code": code])
        case .failed(let session, let originator, let cause, let code, let phrase):
            call(session, originator, ["cause": cause, "status_code": code, "reason_phrase": phrase])
        case .muted(let session), .unmuted(let session):
            call(session, nil, ["audio": true])
        case .newDTMF(let session, let originator, let tone, let duration):
            call(session, originator, ["tone": tone, "duration": duration])
        case .newInfo(let session, let originator, let contentType, let body):
            call(session, originator, ["contentType": contentType, "body": body])
        case .refer(let session, let target):
            call(session, nil, ["target": target])
        case .referStatus(let session, let status, let code):
            call(session, nil, ["status": status, "status_code": code])
        case .replaces(let session, let replacedBy):
            call(session, nil, ["replaced_by": replacedBy])
        case .mediaNotice(let session, let message), .mediaProgress(let session, let message):
            call(session, nil, ["message": message])
        default:
            subscriptionEvent(event, into: &object)
        }
    }

    /// Subscriber events carry `subscriber`, notifier events `notifier`; fields are JsSIP's
    /// argument names.
    private static func subscriptionEvent(_ event: UAEvent, into object: inout [String: Any]) {
        func put(_ fields: [String: Any?]) {
            for (key, value) in fields { object[key] = value ?? NSNull() }
        }
        switch event {
        case .subscriptionAccepted(let id), .subscriptionPending(let id), .subscriptionActive(let id):
            put(["subscriber": id])
        case .subscriptionNotify(let id, let isFinal, let contentType, let body):
            put(["subscriber": id, "isFinal": isFinal, "contentType": contentType, "body": body])
        case .subscriptionTerminated(let id, let code, let cause, let reason, let retryAfter):
            put(["subscriber": id, "terminationCode": code, "cause": cause, "reason": reason, "retryAfter": retryAfter])
        case .newSubscribe(let id, let package, let from, let accept, let expires, let contentType, let body):
            put([
                "notifier": id, "event_package": package, "from": from, "accept": accept, "expires": expires,
                "contentType": contentType, "body": body,
            ])
        case .notifierSubscribe(let id, let isUnsubscribe, let contentType, let body):
            put(["notifier": id, "isUnsubscribe": isUnsubscribe, "contentType": contentType, "body": body])
        case .notifierExpired(let id):
            put(["notifier": id])
        case .notifierTerminated(let id, let code, let cause):
            put(["notifier": id, "terminationCode": code, "cause": cause])
        case .messageSummary(let summary, let error, let from):
            let counts = summary?.counts.mapValues { counts -> [String: Any] in
                [
                    "new": counts.new, "old": counts.old, "urgentNew": counts.urgentNew ?? NSNull(),
                    "urgentOld": counts.urgentOld ?? NSNull(),
                ]
            }
            put([
                "from": from, "error": error, "messagesWaiting": summary?.messagesWaiting, "account": summary?.account,
                "counts": counts,
            ])
        case .contactState(let contact, let presence, let lamp, let problem):
            put([
                "uri": contact.uri, "name": contact.name, "presence": presence?.summary, "basic": presence?.basic,
                "activities": presence?.activities, "note": presence?.note, "lamp": lamp?.rawValue,
                "problem": problem,
            ])
        case .presencePublished(let statusCode, let expires):
            put(["statusCode": statusCode, "expires": expires])
        case .presencePublishFailed(let cause, let statusCode):
            put(["cause": cause, "statusCode": statusCode])
        default:
            break
        }
    }
}
