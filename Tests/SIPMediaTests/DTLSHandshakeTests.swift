import Testing

@testable import SIPMedia

@Suite struct DTLSHandshakeTests {
    @Test func inProcessHandshakeDerivesMirrorImageKeys() throws {
        let (client, server) = try makePair()
        let result = pump(client: client, server: server)
        let clientKeys = try #require(result.clientKeys)
        let serverKeys = try #require(result.serverKeys)
        #expect(client.state == .connected)
        #expect(server.state == .connected)
        #expect(clientKeys.profile == .aeadAES128GCM)
        #expect(serverKeys.profile == .aeadAES128GCM)
        #expect(clientKeys.localKey == serverKeys.remoteKey)
        #expect(clientKeys.localSalt == serverKeys.remoteSalt)
        #expect(clientKeys.remoteKey == serverKeys.localKey)
        #expect(clientKeys.remoteSalt == serverKeys.localSalt)
        #expect(clientKeys.localKey.count == 16 && clientKeys.localSalt.count == 12)
        #expect(clientKeys.localKey != clientKeys.remoteKey)
        #expect(client.keys == clientKeys)
        #expect(client.negotiatedProtocol == "DTLSv1.2")
        #expect(client.negotiatedCipher == server.negotiatedCipher)
        #expect(client.negotiatedCipher?.hasPrefix("ECDHE-ECDSA-") == true)
    }

    @Test(arguments: SRTPProfile.allCases)
    func eachProfileNegotiatesWithItsKeyLengths(profile: SRTPProfile) throws {
        let (client, server) = try makePair(clientProfiles: [profile], serverProfiles: [profile])
        let result = pump(client: client, server: server)
        let keys = try #require(result.clientKeys)
        #expect(keys.profile == profile)
        #expect(keys.localKey.count == profile.keyLength)
        #expect(keys.remoteSalt.count == profile.saltLength)
        #expect(result.serverKeys?.remoteKey == keys.localKey)
    }

    @Test func serverPreferenceWins() throws {
        let (client, server) = try makePair(
            clientProfiles: [.aeadAES128GCM, .aesCM128HMACSHA1_80],
            serverProfiles: [.aesCM128HMACSHA1_80, .aeadAES128GCM])
        let result = pump(client: client, server: server)
        #expect(result.clientKeys?.profile == .aesCM128HMACSHA1_80)
        #expect(result.serverKeys?.profile == .aesCM128HMACSHA1_80)
    }

    @Test func noCommonProfileFails() throws {
        let (client, server) = try makePair(
            clientProfiles: [.aesCM128HMACSHA1_32],
            serverProfiles: [.aeadAES128GCM])
        let result = pump(client: client, server: server)
        #expect(result.clientKeys == nil)
        #expect(result.serverKeys == nil)
        #expect(result.clientEvents.contains { $0.failureReason?.hasPrefix("DTLS:") == true })
    }

    @Test func fingerprintMismatchFailsOnTheCheckingSide() throws {
        let clientCert = try DTLSCertificate()
        let serverCert = try DTLSCertificate()
        let impostor = try DTLSCertificate()
        // The client's SDP says to expect `impostor`, but `serverCert` answers.
        let client = try DTLSEndpoint(role: .client, certificate: clientCert, peerFingerprint: impostor.fingerprint)
        let server = try DTLSEndpoint(role: .server, certificate: serverCert, peerFingerprint: clientCert.fingerprint)
        let result = pump(client: client, server: server)
        let expected = "DTLS: the peer's certificate does not match the SDP fingerprint"
        #expect(result.clientEvents == [.failed(expected)])
        #expect(client.state == .failed(expected))
        #expect(client.keys == nil)
        // The check runs inside the handshake: the server hears bad_certificate and never
        // derives keys either.
        #expect(result.serverKeys == nil)
        #expect(
            result.serverEvents.contains { $0.failureReason?.contains("bad certificate") == true },
            "\(result.serverEvents)")
    }

    @Test func serverSideMismatchWithOtherHash() throws {
        let clientCert = try DTLSCertificate()
        let serverCert = try DTLSCertificate()
        let wrong = try #require(serverCert.fingerprint(hashFunction: "sha-1"))  // right hash, wrong cert
        let client = try DTLSEndpoint(role: .client, certificate: clientCert, peerFingerprint: serverCert.fingerprint)
        let server = try DTLSEndpoint(role: .server, certificate: serverCert, peerFingerprint: wrong)
        let result = pump(client: client, server: server)
        #expect(result.serverEvents.first == .failed("DTLS: the peer's certificate does not match the SDP fingerprint"))
        #expect(result.serverKeys == nil)
        #expect(result.clientKeys == nil)
    }

    @Test func sha1FingerprintFromSDPIsAccepted() throws {
        let clientCert = try DTLSCertificate()
        let serverCert = try DTLSCertificate()
        let client = try DTLSEndpoint(
            role: .client, certificate: clientCert,
            peerFingerprint: try #require(serverCert.fingerprint(hashFunction: "sha-1")))
        let server = try DTLSEndpoint(
            role: .server, certificate: serverCert,
            peerFingerprint: try #require(clientCert.fingerprint(hashFunction: "sha-512")))
        let result = pump(client: client, server: server)
        #expect(result.clientKeys != nil)
        #expect(result.serverKeys != nil)
    }

    @Test func lostFirstFlightsAreRetransmitted() throws {
        let (client, server) = try makePair()
        // Drop the ClientHello, then the first datagram of the server's first flight.
        let result = pump(client: client, server: server, drop: { _, index in index == 0 })
        #expect(result.clientKeys != nil)
        #expect(result.serverKeys?.remoteKey == result.clientKeys?.localKey)
    }

    @Test func lostFinalFlightIsRecoveredByClientRetransmission() throws {
        let (client, server) = try makePair()
        // Flight 6 (server CCS + Finished) is the server's second flight: drop it once.
        var flight6Dropped = false
        let result = pump(
            client: client, server: server,
            drop: { toServer, _ in
                guard !toServer else { return false }
                if server.state == .connected && !flight6Dropped {
                    flight6Dropped = true
                    return true
                }
                return false
            })
        #expect(flight6Dropped)
        #expect(result.clientKeys != nil)
        #expect(result.serverKeys != nil)
    }

    @Test func peerCloseNotifyIsReportedAsClosed() throws {
        let (client, server) = try makePair()
        _ = pump(client: client, server: server)
        let bye = client.close()
        #expect(client.state == .closed)
        #expect(!bye.datagrams.isEmpty)
        var events: [DTLSEvent] = []
        for datagram in bye.datagrams {
            if let event = server.receive(datagram).event { events.append(event) }
        }
        #expect(events == [.closed])
        #expect(server.state == .closed)
    }

    @Test func emittedDatagramsRespectTheMTU() throws {
        var sizes: [Int] = []
        let (c2, s2) = try makePair()
        var toServer = c2.start().datagrams
        for _ in 0..<4 {
            var toClient: [[UInt8]] = []
            for d in toServer { sizes.append(d.count); toClient += s2.receive(d).datagrams }
            toServer = []
            for d in toClient { sizes.append(d.count); toServer += c2.receive(d).datagrams }
        }
        #expect(c2.state == .connected)
        #expect(!sizes.isEmpty)
        #expect(sizes.allSatisfy { $0 <= c2.mtu })
    }
}
