/// Everything a config file's text reaches before the agent starts: for the FuzzConfig target,
/// which must show that no file crashes sipterm. The text is parsed as TOML and checked
/// parameter by parameter; a configuration that is accepted is written out as sipterm saves
/// it, and that file must load again to a configuration written the same way.
public enum UntrustedConfigText {
    static let file = ConfigFile(path: "fuzz.toml")

    /// Traps when a property breaks; refusing the text is fine.
    public static func check(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = ConfigValue(literal: text)
        guard let contents = try? file.parse(text), let configuration = try? Configuration(contents.values) else {
            return
        }
        let saved = ConfigFile.render(configuration)
        let reloaded: Configuration
        do {
            reloaded = try Configuration(file.parse(saved).values)
        } catch {
            fatalError("config round trip: a saved configuration does not load: \(error)\n\(saved.debugDescription)")
        }
        let savedAgain = ConfigFile.render(reloaded)
        guard savedAgain == saved else {
            fatalError(
                """
                config round trip: a reloaded configuration saves other text
                first:  \(saved.debugDescription)
                second: \(savedAgain.debugDescription)
                """)
        }
    }

    /// Seeds for the fuzzer: config files as people write them (a WebRTC account, an SRTP
    /// provider, weighted sockets and extra headers, a saved HA1), and one as sipterm saves it.
    public static var seeds: [[UInt8]] {
        let written = [
            """
            uri = "sip:alice@example.com"
            sockets = ["wss://sip.example.com"]
            password = "secret"
            display_name = "Alice \\"A\\" Example"

            [sipterm]
            ice_servers = [{ urls = ["stun:stun.example.com:3478"], username = "u", credential = "c" }]
            codecs = ["opus", "PCMU", "telephone-event"]
            ice_gathering_timeout = 1
            """,
            """
            uri = "sip:alice@sip.example.com;transport=tls"
            sockets = [{ url = "tls://sip.example.com:5061", weight = 10 }, { url = "udp://[::1]:5060", weight = 0 }]
            authorization_user = "alice"
            realm = "sip.example.com"
            ha1 = "67c46b4336a05eefd02cfae37c621d30"
            register_expires = 300
            extra_headers = ["X-Account: 1", "P-Preferred-Identity: <sip:alice@example.com>"]
            session_timers = false
            no_answer_timeout = 30
            # a comment
            [sipterm]
            media_profile = "sdes"
            sdes_unencrypted_signalling = true
            """,
        ]
        var seeds = written.map { Array($0.utf8) }
        if let contents = try? file.parse(written[0]), let configuration = try? Configuration(contents.values) {
            seeds.append(Array(ConfigFile.render(configuration).utf8))
        }
        return seeds
    }
}
