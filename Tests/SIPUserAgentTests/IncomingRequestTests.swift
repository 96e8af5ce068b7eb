import Foundation
import SIPMessage
import SIPTransport
import TestSupport
import Testing

@testable import SIPUserAgent

/// Requests sent straight to a registered UA's UDP port, as a peer would: JsSIP's checks answer
/// them, and the response goes back to where the request came from.
@Suite("Incoming requests", .serialized)
struct IncomingRequestTests {
    func send(_ text: String, to port: Int) async throws -> SIPResponse {
        let connection = try await Connection.open(try SocketURL(parsing: "udp://127.0.0.1:\(port)"))
        defer { Task { await connection.close() } }
        let local = try #require(connection.localAddress)
        let bytes = Array(text.replacingOccurrences(of: "LOCAL", with: "\(local.host):\(local.port)").utf8)
        try await connection.send(bytes)
        for await event in connection.events {
            if case .message(let received) = event, let response = received.message.response { return response }
        }
        throw Kamailio.ScriptFailed(description: "no response")
    }

    func request(
        _ method: String, user: String = "alice", scheme: String = "sip", toTag: String? = nil, extra: String = ""
    )
        -> String
    {
        let branch = "z9hG4bK" + UUID().uuidString.prefix(8)
        return "\(method) \(scheme):\(user)@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP LOCAL;branch=\(branch)\r\n"
            + "From: <sip:peer@127.0.0.1>;tag=p1\r\nTo: <sip:\(user)@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
            + "Call-ID: \(UUID().uuidString)\r\nCSeq: 1 \(method)\r\nMax-Forwards: 70\r\n\(extra)Content-Length: 0\r\n\r\n"
    }

    @Test func requestsToTheConfiguredContactsUserAreAnswered() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(
            user: "alice", transport: .udp, extra: ["contact_uri": .string("sip:alicephone@127.0.0.1")])
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        let local = try #require(await client.ua.status().localAddress?.split(separator: ":").last.flatMap { Int($0) })
        #expect(try await send(request("OPTIONS", user: "alicephone"), to: local).statusCode == 200)
        #expect(try await send(request("OPTIONS", user: "alice"), to: local).statusCode == 200)
        #expect(try await send(request("OPTIONS", user: "alicephone2"), to: local).statusCode == 404)
        await client.ua.stop()
    }

    @Test func checksAnswerAsJsSIPDoes() async throws {
        _ = try await Kamailio.running()
        let client = try TestUA(user: "alice", transport: .udp)
        await client.ua.start()
        try await client.wait(for: "registered", isRegistered)
        let local = try #require(await client.ua.status().localAddress?.split(separator: ":").last.flatMap { Int($0) })

        let options = try await send(request("OPTIONS"), to: local)
        #expect(options.statusCode == 200)
        #expect(options.headers["Allow"]?.contains("MESSAGE") == true)
        #expect(options.headers["Accept"] != nil)
        #expect(try options.to?.tag != nil)
        try await client.wait(for: "newOptions") {
            if case .newOptions(.remote, _) = $0 { return true }
            return false
        }
        #expect(try await send(request("OPTIONS", user: "mallory"), to: local).statusCode == 404)
        #expect(try await send(request("OPTIONS", scheme: "sips"), to: local).statusCode == 416)
        #expect(try await send(request("BYE", toTag: "nodialog"), to: local).statusCode == 481)
        #expect(try await send(request("PUBLISH"), to: local).statusCode == 405)
        let notify = try await send(
            request("NOTIFY", extra: "Event: message-summary\r\nContent-Type: application/simple-message-summary\r\n"),
            to: local)
        #expect(notify.statusCode == 200)
        guard
            case .sipEvent(let package, _, let contentType, _) = try await client.wait(
                for: "sipEvent",
                {
                    if case .sipEvent = $0 { return true }
                    return false
                })
        else { return }
        #expect(package == "message-summary")
        #expect(contentType == "application/simple-message-summary")
        let bad = request("OPTIONS").replacingOccurrences(of: "CSeq: 1 OPTIONS", with: "CSeq: 1 INVITE")
        #expect(try await send(bad, to: local).statusCode == 400)
        await client.ua.stop()
    }
}
