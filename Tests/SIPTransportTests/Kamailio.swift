import Foundation
import SIPMessage
import TestSupport
import Testing

@testable import SIPTransport

/// Builds an OPTIONS to the server itself, as a UA would send it on this connection.
func options(to url: SocketURL, on connection: Connection, cseq: UInt32 = 1) -> (request: SIPRequest, branch: String) {
    let branch = "z9hG4bK" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    var request = SIPRequest(method: .options, uri: .sip(SIPURI(host: url.host, port: UInt16(url.port))))
    let wsHost = "sipterm0test.invalid"
    request.headers.append("Via", connection.via(branch: branch, webSocketHost: wsHost).description)
    request.headers.append("Max-Forwards", "70")
    request.headers.append("To", "<sip:\(url.host.description)>")
    request.headers.append("From", "<sip:probe@sipterm.test>;tag=\(UInt32.random(in: 1...UInt32.max))")
    request.headers.append("Call-ID", "\(UInt64.random(in: 1...UInt64.max))@sipterm.test")
    request.headers.append("CSeq", "\(cseq) OPTIONS")
    request.headers.append("Contact", "<\(connection.contactURI(user: "probe", webSocketHost: wsHost))>")
    request.setBody([])
    return (request, branch)
}

/// Waits for the first inbound response whose top Via has `branch`.
func response(
    on events: AsyncStream<ConnectionEvent>, branch: String, timeout: Duration = .seconds(5)
) async throws -> ReceivedMessage {
    try await withThrowingTaskGroup(of: ReceivedMessage?.self) { group in
        group.addTask {
            for await event in events {
                if case .message(let received) = event, let response = received.message.response,
                    try response.via.first?.branch == branch
                {
                    return received
                }
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let received = first else {
            throw Kamailio.ScriptFailed(description: "no response with branch \(branch) within \(timeout)")
        }
        return received
    }
}

typealias Timed = (at: ContinuousClock.Instant, event: TransportEvent)

/// Collects transport events until `until` says stop or the timeout passes, and returns all
/// seen. Call it once per stream: cancelling an AsyncStream's consumer finishes the stream.
func collect(
    _ events: AsyncStream<TransportEvent>, timeout: Duration, until: @escaping @Sendable ([Timed]) -> Bool
) async -> [Timed] {
    let log = EventLog()
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            for await event in events {
                if await log.add((.now, event), until) { return }
            }
        }
        group.addTask { try? await Task.sleep(for: timeout) }
        await group.next()
        group.cancelAll()
    }
    return await log.seen
}

actor EventLog {
    var seen: [Timed] = []
    func add(_ item: Timed, _ until: ([Timed]) -> Bool) -> Bool {
        seen.append(item)
        return until(seen)
    }
}
