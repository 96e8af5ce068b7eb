import Foundation
import SIPMessage
import SIPUserAgent

/// `sipterm agent`: JSON Lines in (commands), JSON Lines out (replies and events), nothing else
/// on standard output. Scripts and tests drive the user agent through it.
public actor HeadlessAgent {
    let ua: UserAgent
    let write: @Sendable (String) -> Void
    /// Events seen and not yet claimed by a `wait`, counted by name (bounded however long it runs).
    var seen: [String: Int] = [:]
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
                self.write(AgentJSON.line(AgentJSON.event(event)))
                self.note(event.name)
            }
        }
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

    private func note(_ name: String) {
        let ready = waiters.filter { $0.name == name }
        waiters.removeAll { $0.name == name }
        if ready.isEmpty {
            seen[name, default: 0] += 1
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    private func reply(_ id: ConfigValue?, ok: Bool, _ fields: [String: Any] = [:]) {
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
            guard let name = request.event else { return missing(id, "event") }
            let found = await wait(for: name, timeout: request.timeout ?? 10)
            reply(
                id, ok: found, found ? ["event": name] : ["error": "no \(name) event within \(request.timeout ?? 10) s"]
            )
        case "stop":
            reply(id, ok: true)
            return .stop
        default:
            reply(id, ok: false, ["error": "unknown command '\(request.cmd)'"])
        }
        return .go
    }

    private func missing(_ id: ConfigValue?, _ field: String) -> Next {
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
            ] as [String: Any],
            "registration": [
                "registered": status.registered, "registrar": status.registrar,
                "expires": status.expires as Any? ?? NSNull(),
                "refresh_in": status.refreshIn as Any? ?? NSNull(), "expires_in": status.expiresIn as Any? ?? NSNull(),
            ] as [String: Any],
            "calls": [Any](),
            "config": status.configuration.mapValues(AgentJSON.json),
        ]
    }
}
