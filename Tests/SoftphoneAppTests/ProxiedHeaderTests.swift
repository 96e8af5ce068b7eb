import Foundation
import TestSupport
import Testing

/// What proxies and PBXs really write into the messages they relay, played by a `RawPeer`: Vias
/// below the agent's own with branches outside `token` and `received=ADDRESS:PORT`, and headers
/// the agent never acts on holding values no grammar allows. The agent acts on what it must and
/// echoes the rest verbatim; a strict parser refused each of these messages whole.
@Suite("odd headers from proxies, with a raw UDP peer", .serialized)
struct ProxiedHeaderTests {
    /// A Via a proxy below the peer added: `/`, `=` and `+` in the branch, the port in `received`.
    static let proxiedVia = "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK/Fw=+tl4Q==;received=192.0.2.7:5070"
    /// Headers sipterm only shows or echoes, none of them valid by RFC 3261's grammar.
    static let oddHeaders = ["Date: yesterday", "Retry-After: soon", "P-Asserted-Identity: <sip:broken"]

    @Test func aResponseWithAProxysViaBelowOursIsTaken() async throws {
        let peer = try RawPeer(port: 5850, mediaPort: nil)
        let agent = try await AgentProcess.towards(port: 5850)
        let agentAddress = try await agent.localAddress()
        try CallCornerCaseTests.start(
            agent, ["cmd": "sendMessage", "target": "sip:bob@\(peer.address)", "body": "hello"], id: 91)
        let message = try #require(
            await peer.receive(timeout: 10, where: CallCornerCaseTests.isRequest("MESSAGE")), "\(peer.log)")
        // The agent's Via on top, the proxy's below it, as a response through that proxy has them.
        let ours = try #require(SIPText.header("Via", in: message))
        var response = SIPText.response(to: message, 200, "OK", toTag: SIPText.token(), headers: Self.oddHeaders)
        response = response.replacingOccurrences(of: "Via: \(ours)\r\n", with: "Via: \(ours)\r\n\(Self.proxiedVia)\r\n")
        try peer.send(response, to: agentAddress)
        let reply = try await CallCornerCaseTests.reply(agent, id: 91)
        #expect(reply["ok"] as? Bool == true, "\(reply)")
        #expect(reply["status_code"] as? Double == 200 || reply["status_code"] as? Int == 200, "\(reply)")
        #expect(await agent.stop() == 0)
    }

    @Test func aRequestWithAProxysViaIsAnsweredWithItVerbatim() async throws {
        let peer = try RawPeer(port: 5851, mediaPort: nil)
        let agent = try await AgentProcess.towards(port: 5851)
        var call = CallCornerCaseTests.PeerCall(peer: peer, agentAddress: try await agent.localAddress())
        let request = call.request("OPTIONS", headers: Self.oddHeaders)
        let ours = try #require(SIPText.header("Via", in: request))
        try peer.send(
            request.replacingOccurrences(of: "Via: \(ours)\r\n", with: "Via: \(ours)\r\n\(Self.proxiedVia)\r\n"),
            to: call.agentAddress)
        call.cseq += 1
        let answer = try #require(
            await peer.receive(timeout: 10, where: CallCornerCaseTests.isResponse(200, "OPTIONS")),
            "no 200 to the OPTIONS\n\(peer.log)")
        #expect(SIPText.headers("Via", in: answer) == [ours, String(Self.proxiedVia.dropFirst("Via: ".count))])
        #expect(await agent.stop() == 0)
    }

    @Test func aBadHeaderTheAgentActsOnIsStillRefused() async throws {
        let peer = try RawPeer(port: 5852, mediaPort: nil)
        let agent = try await AgentProcess.towards(port: 5852)
        let call = CallCornerCaseTests.PeerCall(peer: peer, agentAddress: try await agent.localAddress())
        try call.send("OPTIONS", cseq: 1, headers: ["Session-Expires: soon"])
        let refused = await peer.receive(timeout: 10, where: CallCornerCaseTests.isResponse(400, "OPTIONS"))
        #expect(refused != nil, "no 400 to a Session-Expires that does not decode\n\(peer.log)")
        #expect(await agent.stop() == 0)
    }
}
