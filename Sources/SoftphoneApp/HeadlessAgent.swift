import Foundation
import SIPMessage
import SIPUserAgent

/// `sipterm agent`: JSON Lines in (commands), JSON Lines out (replies and events), nothing else
/// on standard output. Scripts and tests drive the user agent through it.
public actor HeadlessAgent {
    let ua: UserAgent
    let write: @Sendable (String) -> Void
    /// Events seen and not yet claimed by a `wait`, counted by name and by name@session.
    var seen: [String: Int] = [:]
    /// The name@session keys of each call, and the calls that ended in order: only the last
    /// `endedCallsKept` ended calls keep theirs, so a long run (a call storm) stays bounded.
    var sessionKeys: [String: [String]] = [:]
    var endedCalls: [String] = []
    static let endedCallsKept = 64
    var waiters: [(name: String, continuation: CheckedContinuation<Bool, Never>)] = []

    public init(ua: UserAgent, write: @escaping @Sendable (String) -> Void) {
        self.ua = ua
        self.write = write
    }

    /// Runs until `stop` or the end of input; returns the exit status.
    public func run(commands: AsyncStream<String>) async -> Int32 {
        let events = ua.events
        let eventTask = Task { [self] in
            for await event in events {
                let object = AgentJSON.event(event)
                self.write(AgentJSON.line(object))
                self.note(event.name)
                if let session = object["session"] as? String { self.note(event.name, session: session) }
            }
        }
        // The agent's user takes subscriptions (JsSIP: a newSubscribe listener exists).
        await ua.takeSubscriptions()
        await ua.start()
        for await line in commands {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if await handle(trimmed) == .stop { break }
        }
        await ua.stop()
        eventTask.cancel()
        return 0
    }

    enum Next { case go, stop }

    private func note(_ name: String, session: String) {
        let key = name + "@" + session
        sessionKeys[session, default: []].append(key)
        note(key)
        guard name == "ended" || name == "failed" else { return }
        endedCalls.append(session)
        if endedCalls.count > Self.endedCallsKept {
            let oldest = endedCalls.removeFirst()
            for key in sessionKeys.removeValue(forKey: oldest) ?? [] { seen[key] = nil }
        }
    }

    private func note(_ name: String) {
        let ready = waiters.filter { $0.name == name }
        waiters.removeAll { $0.name == name }
        if ready.isEmpty {
            seen[name, default: 0] += 1
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    func reply(_ id: ConfigValue?, ok: Bool, _ fields: [String: Any] = [:]) {
        var object = fields
        object["id"] = id.map(AgentJSON.json) ?? NSNull()
        object["ok"] = ok
        write(AgentJSON.line(object))
    }

    private func handle(_ line: String) async -> Next {
        let request: AgentRequest
        do {
            request = try AgentRequest.decode(line)
        } catch {
            reply(nil, ok: false, ["error": "invalid command: not a JSON object with a \"cmd\" field"])
            return .go
        }
        let id = request.id
        switch request.cmd {
        case "register":
            await ua.register()
            reply(id, ok: true)
        case "unregister":
            await ua.unregister(all: request.all ?? false)
            reply(id, ok: true)
        case "sendMessage":
            guard let target = request.target else { return missing(id, "target") }
            do {
                let response = try await ua.sendMessage(
                    to: target, body: request.body ?? "", contentType: request.contentType ?? "text/plain")
                reply(id, ok: true, ["status_code": response.statusCode, "reason_phrase": response.reasonPhrase])
            } catch {
                reply(id, ok: false, ["error": error.cause, "status_code": error.statusCode ?? NSNull()])
            }
        case "sendOptions":
            do {
                let response = try await ua.sendOptions(to: request.target)
                reply(id, ok: true, ["status_code": response.statusCode, "reason_phrase": response.reasonPhrase])
            } catch {
                reply(id, ok: false, ["error": error.cause, "status_code": error.statusCode ?? NSNull()])
            }
        case "set":
            guard let param = request.param else { return missing(id, "param") }
            do {
                let change = try await ua.apply([param: request.value ?? .string("")])
                reply(
                    id, ok: true,
                    ["effect": change.effect.map { "\($0)" } ?? "none", "changed": change.entries.map(\.name)])
            } catch {
                reply(id, ok: false, ["error": error.description])
            }
        case "get":
            guard let param = request.param else { return missing(id, "param") }
            let configuration = await ua.configuration
            guard Parameters.named(param) != nil else {
                reply(id, ok: false, ["error": "\(param): unknown parameter"])
                return .go
            }
            let value = configuration.masked()[param] ?? configuration.value(param)
            reply(id, ok: true, ["param": param, "value": value.map(AgentJSON.json) ?? NSNull()])
        case "status":
            reply(id, ok: true, ["status": Self.statusObject(await ua.status())])
        case "wait":
            guard let event = request.event else { return missing(id, "event") }
            // With `session`, only that call's event counts.
            let name = request.session.map { event + "@" + $0 } ?? event
            let found = await wait(for: name, timeout: request.timeout ?? 10)
            reply(
                id, ok: found,
                found ? ["event": event] : ["error": "no \(event) event within \(request.timeout ?? 10) s"]
            )
        case "stop":
            reply(id, ok: true)
            return .stop
        case "subscribe", "notify", "setActiveState", "rejectSubscribe":
            await subscriptionCommand(request)
        case "terminate" where request.subscriber != nil || request.notifier != nil:
            await subscriptionCommand(request)
        case "call", "answer", "terminate", "hold", "unhold", "mute", "unmute", "sendDTMF", "refer", "sendInfo",
            "acceptRefer", "rejectRefer":
            await callCommand(request)
        default:
            reply(id, ok: false, ["error": "unknown command '\(request.cmd)'"])
        }
        return .go
    }

    /// The call commands: each replies ok, or not ok with JsSIP's cause in `error`.
    private func callCommand(_ request: AgentRequest) async {
        let id = request.id
        if request.cmd == "call" {
            guard let target = request.target else {
                _ = missing(id, "target")
                return
            }
            do {
                let session = try await ua.call(
                    target,
                    options: CallOptions(
                        extraHeaders: request.extraHeaders ?? [], sessionTimersExpires: request.sessionTimersExpires))
                reply(id, ok: true, ["session": session])
            } catch {
                reply(id, ok: false, ["error": error.description])
            }
            return
        }
        guard let session = request.session else {
            _ = missing(id, "session")
            return
        }
        var fields: [String: Any] = ["session": session]
        do {
            switch request.cmd {
            case "answer": try await ua.answer(session)
            case "terminate":
                try await ua.terminate(session, statusCode: request.statusCode, reasonPhrase: request.reasonPhrase)
            case "hold": try await ua.hold(session)
            case "unhold": try await ua.unhold(session)
            case "mute": try await ua.mute(session)
            case "unmute": try await ua.unmute(session)
            case "sendDTMF":
                guard let tones = request.tones else {
                    _ = missing(id, "tones")
                    return
                }
                var transport: DTMFTransport?
                if let name = request.transportType {
                    guard let chosen = DTMFTransport(rawValue: name.uppercased()) else {
                        reply(id, ok: false, ["error": "transportType must be INFO or RFC2833"])
                        return
                    }
                    transport = chosen
                }
                try await ua.sendDTMF(
                    session, tones: tones,
                    options: DTMFOptions(
                        duration: request.duration, interToneGap: request.interToneGap, transportType: transport))
            case "refer": try await ua.refer(session, target: request.target, replaces: request.replaces)
            case "sendInfo":
                try await ua.sendInfo(
                    session, contentType: request.contentType ?? "text/plain", body: request.body ?? "")
            case "acceptRefer": fields["new_session"] = try await ua.acceptRefer(session)
            case "rejectRefer": try await ua.rejectRefer(session)
            default: break
            }
            reply(id, ok: true, fields)
        } catch {
            fields["error"] = error.description
            reply(id, ok: false, fields)
        }
    }

    func missing(_ id: ConfigValue?, _ field: String) -> Next {
        reply(id, ok: false, ["error": "missing \"\(field)\""])
        return .go
    }

    /// Waits for an event by name, counting one already seen.
    private func wait(for name: String, timeout: Double) async -> Bool {
        if let count = seen[name], count > 0 {
            seen[name] = count - 1
            return true
        }
        return await withCheckedContinuation { continuation in
            waiters.append((name, continuation))
            Task {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                self.expire(name)
            }
        }
    }

    private func expire(_ name: String) {
        guard let index = waiters.firstIndex(where: { $0.name == name }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }

    static func statusObject(_ status: UAStatus) -> [String: Any] {
        [
            "connection": [
                "connected": status.connected, "socket": status.socket as Any? ?? NSNull(),
                "transport": status.transport as Any? ?? NSNull(),
                "local_address": status.localAddress as Any? ?? NSNull(),
                "public_address": status.publicAddress as Any? ?? NSNull(),
            ] as [String: Any],
            "registration": [
                "registered": status.registered, "registrar": status.registrar,
                "expires": status.expires as Any? ?? NSNull(),
                "refresh_in": status.refreshIn as Any? ?? NSNull(), "expires_in": status.expiresIn as Any? ?? NSNull(),
            ] as [String: Any],
            "calls": status.calls.map(callObject),
            "config": status.configuration.mapValues(AgentJSON.json),
        ]
    }

    static func callObject(_ call: CallInfo) -> [String: Any] {
        [
            "session": call.id, "state": call.state.rawValue, "direction": call.direction,
            "remote_identity": call.remoteIdentity, "local_identity": call.localIdentity,
            "start_time": call.startTime.map { AgentJSON.timestamp($0) } ?? NSNull(),
            "hold": ["local": call.localHold, "remote": call.remoteHold], "muted": call.muted,
            "session_timer": call.sessionTimerInterval.map {
                ["interval": $0, "refresher": call.refresher ?? "remote"] as [String: Any]
            } ?? NSNull(),
            "media": call.media, "codec": call.codec ?? NSNull(), "security": call.security ?? NSNull(),
        ]
    }
}
