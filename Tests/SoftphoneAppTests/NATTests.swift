import Foundation
import TestSupport
import Testing

/// Behind a NAT the registrar's Via `received`/`rport` (RFC 3581) name sipterm's public
/// address. On loopback no NAT maps anything, so a `RawPeer` registrar reports a mapping the
/// way one behind a home router would see it.
@Suite("NAT: the public address from the registrar")
struct NATTests {
    static let publicHost = "203.0.113.7"
    static let publicPort = 40000

    /// The registrar's 200 with the mapping in the top Via and the request's Contacts granted.
    static func registered(_ request: String) -> String {
        var response = SIPText.response(
            to: request, 200, "OK", toTag: SIPText.token(),
            headers: SIPText.headers("Contact", in: request).map { "Contact: \($0)" })
        response = response.replacingOccurrences(
            of: ";rport", with: ";rport=\(publicPort);received=\(publicHost)", options: [], range: nil)
        return response
    }

    @Test func theBindingMovesToThePublicAddressAndCallsUseIt() async throws {
        // A fixed port may be held by a peer's own socket (Kamailio's rtpengine module binds one
        // where the system puts it): the first free one of a few.
        let registrar = try #require((5790...5799).lazy.compactMap { try? RawPeer(port: $0) }.first)
        let agent = try AgentProcess([
            "uri=sip:nat@sipterm.test", "sockets=[\"udp://127.0.0.1:\(registrar.port)\"]",
        ])
        // A REGISTER after the one with CSeq `number` (UDP retransmissions of that one are not).
        let isRegister = { (number: Int) in
            { (message: String) in
                SIPText.method(message) == "REGISTER" && (SIPText.cseq(message)?.number ?? 0) > number
            }
        }
        let first = try #require(await registrar.receive(timeout: 10, where: isRegister(0)))
        let firstCSeq = SIPText.cseq(first)?.number ?? 0
        // The Via sent-by: where a UDP response goes (and, before the NAT, the agent's socket).
        let via = try #require(SIPText.header("Via", in: first))
        let from = try #require(via.split(separator: " ").last?.split(separator: ";").first.map(String.init))
        let privateContact = try #require(SIPText.header("Contact", in: first))
        #expect(privateContact.contains("127.0.0.1"))
        try registrar.send(Self.registered(first), to: from)

        // At once a second REGISTER: the public Contact, and the private one removed.
        let second = try #require(await registrar.receive(timeout: 5, where: isRegister(firstCSeq)))
        let contacts = SIPText.headers("Contact", in: second).flatMap { $0.split(separator: ",").map(String.init) }
        #expect(
            contacts.contains { $0.contains("@\(Self.publicHost):\(Self.publicPort)") && !$0.contains("expires=0") })
        #expect(contacts.contains { $0.contains("@127.0.0.1") && $0.contains("expires=0") })
        try registrar.send(Self.registered(second), to: from)
        try await agent.event("registered")
        let status = try await agent.command(["cmd": "status"])
        let connection = (status["status"] as? [String: Any])?["connection"] as? [String: Any]
        #expect(connection?["public_address"] as? String == "\(Self.publicHost):\(Self.publicPort)")

        // The mapping is moved once: no third REGISTER follows.
        let more = await registrar.collect(for: 1, where: isRegister(SIPText.cseq(second)?.number ?? 0))
        #expect(more.isEmpty)

        // A call names the public address in Contact and in the SDP (RTP is symmetric).
        try CallCornerCaseTests.start(agent, ["cmd": "call", "target": "sip:bob@127.0.0.1:\(registrar.port)"], id: 7)
        let invite = try #require(await registrar.receive(timeout: 5, where: { SIPText.method($0) == "INVITE" }))
        #expect(SIPText.header("Contact", in: invite)?.contains("@\(Self.publicHost):\(Self.publicPort)") == true)
        #expect(SIPText.body(invite).contains("c=IN IP4 \(Self.publicHost)"))
        try registrar.send(SIPText.response(to: invite, 486, "Busy Here", toTag: "busy"), to: from)
        _ = await registrar.receive(timeout: 5, where: { SIPText.method($0) == "ACK" })
        _ = await agent.stop()
    }
}
