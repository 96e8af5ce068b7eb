import SIPMessage
import SIPTransport

/// The validators the parameter table is built from. Each takes a non-empty value and returns it
/// normalised, or throws a `Rejection` saying why.
enum Check {
    /// A string; JsSIP's `String(value)` for the parameters that take any value also turns whole
    /// numbers and booleans into text (a numeric user `1001` written unquoted in TOML).
    static func text(_ value: ConfigValue, coercing: Bool = false) throws(Rejection) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number) where coercing: return String(number)
        case .bool(let flag) where coercing: return flag ? "true" : "false"
        default: throw Rejection("must be a string")
        }
    }

    /// A string without CR, LF or NUL, which would break a header line.
    static func line(_ value: ConfigValue, coercing: Bool = false) throws(Rejection) -> ConfigValue {
        let text = try text(value, coercing: coercing)
        guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw Rejection("must not contain CR, LF or NUL")
        }
        return .string(text)
    }

    /// JsSIP's `isDecimal`: a whole number, given as a number or a numeric string ("30"); then
    /// `minimum` applies.
    static func integer(_ value: ConfigValue, minimum: Int) throws(Rejection) -> ConfigValue {
        let number: Int
        switch value {
        case .integer(let whole): number = whole
        case .double(let real):
            guard real.rounded() == real, let whole = Int(exactly: real) else {
                throw Rejection("must be a whole number")
            }
            number = whole
        case .string(let text):
            guard let whole = Int(text.trimmingCharacters(in: " \t")) else { throw Rejection("must be a whole number") }
            number = whole
        default: throw Rejection("must be a whole number")
        }
        guard number >= minimum else {
            throw Rejection(minimum == 1 ? "must be greater than 0" : "must be at least \(minimum)")
        }
        return .integer(number)
    }

    /// A real boolean: the string "true" and the number 1 are refused, as in JsSIP.
    static func boolean(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        guard case .bool = value else { throw Rejection("must be true or false (a boolean, not a string)") }
        return value
    }

    /// One of `words`, case-insensitive, stored as spelled in `words`.
    static func choice(_ value: ConfigValue, _ words: [String]) throws(Rejection) -> ConfigValue {
        guard case .string(let text) = value, let word = words.first(where: { $0.lowercased() == text.lowercased() })
        else { throw Rejection("must be one of \(words.joined(separator: ", "))") }
        return .string(word)
    }

    /// A SIP URI for `uri` or `registrar_server`: `sip:` is prepended when the text has no
    /// `sip:`/`sips:` scheme. Unlike JsSIP, `sips:alice@x` stays a SIPS URI (JsSIP makes it
    /// `sip:sips:alice@x`), and a doubled scheme such as `sip:sips:alice@x` is refused.
    static func sipURI(_ value: ConfigValue, prepend: Bool) throws(Rejection) -> SIPURI {
        guard case .string(let raw) = value else { throw Rejection("must be a string") }
        let text = raw.trimmingCharacters(in: " \t")
        let lower = text.lowercased()
        let hasScheme = lower.hasPrefix("sip:") || lower.hasPrefix("sips:")
        let full = hasScheme || !prepend ? text : "sip:" + text
        let afterScheme = full.lowercased().drop(while: { $0 != ":" }).dropFirst()
        if afterScheme.hasPrefix("sip:") || afterScheme.hasPrefix("sips:") {
            throw Rejection("has two schemes; write sips:user@host for a SIPS URI")
        }
        do {
            return try SIPURI(parsing: full)
        } catch {
            throw Rejection("not a SIP URI (\(error))")
        }
    }

    static func userURI(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let uri = try sipURI(value, prepend: true)
        guard uri.user != nil else { throw Rejection("needs a user part (user@host)") }
        return .string(lowercasedParameters(uri).description)
    }

    static func serverURI(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let uri = try sipURI(value, prepend: true)
        guard uri.user == nil else { throw Rejection("must not have a user part") }
        return .string(lowercasedParameters(uri).description)
    }

    /// As JsSIP's URI parser stores them: parameter names in lower case, and the values of the
    /// ones RFC 3261 compares without case (`;TRansport=TCP` becomes `;transport=tcp`).
    static func lowercasedParameters(_ uri: SIPURI) -> SIPURI {
        var uri = uri
        uri.parameters = .init(
            uri.parameters.map { parameter in
                var parameter = parameter
                parameter.name = parameter.name.lowercased()
                switch parameter.name {
                case "transport", "user", "maddr": parameter.value = parameter.value?.lowercased()
                case "method": parameter.value = parameter.value?.uppercased()
                default: break
                }
                return parameter
            })
        return uri
    }

    /// An 8-4-4-4-12 hexadecimal UUID with an optional `uuid:` prefix (any case), stored
    /// without the prefix and in the case given, as JsSIP keeps it.
    static func uuid(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        guard case .string(var text) = value else { throw Rejection("must be a string") }
        if text.lowercased().hasPrefix("uuid:") { text = String(text.dropFirst(5)) }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        let shape = [8, 4, 4, 4, 12]
        guard groups.count == shape.count,
            zip(groups, shape).allSatisfy({ group, count in group.count == count && group.allSatisfy(\.isHexDigit) })
        else { throw Rejection("must be a UUID (8-4-4-4-12 hexadecimal digits)") }
        return .string(text)
    }

    /// Text usable inside a SIP quoted-string (RFC 3261 `qdtext` / `quoted-pair`): no bare `"`,
    /// no CR/LF or other control characters, and every backslash escapes a following character.
    static func quotable(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let text = try text(value, coercing: true)
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                guard scalar.value <= 0x7F, scalar != "\r", scalar != "\n" else {
                    throw Rejection("a backslash must escape an ASCII character other than CR or LF")
                }
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "\"": throw Rejection("contains a bare double quote (escape it as \\\")")
            case "\t": break
            default:
                guard scalar.value >= 0x20, scalar.value != 0x7F else {
                    throw Rejection("contains a control character (CR, LF, …)")
                }
            }
        }
        guard !escaped else { throw Rejection("ends with an unescaped backslash") }
        return .string(text)
    }

    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "-.!%*_+`'~".unicodeScalars.contains(scalar))
            }
    }

    /// A list of header lines, each `Name: value` with a token name and no CR/LF. JsSIP drops
    /// non-string items silently; sipterm refuses them.
    static func headerLines(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        guard case .array(let items) = value else { throw Rejection("must be an array of \"Name: value\" strings") }
        var lines: [ConfigValue] = []
        for (index, item) in items.enumerated() {
            guard case .string(let line) = item else { throw Rejection("item \(index + 1) is not a string") }
            guard let colon = line.firstIndex(of: ":") else {
                throw Rejection("item \(index + 1) is not a header line \"Name: value\"")
            }
            let name = line[..<colon].trimmingCharacters(in: " \t")
            let body = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            guard isToken(name) else { throw Rejection("item \(index + 1): header name '\(name)' is not a token") }
            guard !body.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw Rejection("item \(index + 1) contains CR, LF or NUL")
            }
            lines.append(.string("\(name): \(body)"))
        }
        return .array(lines)
    }

    /// The `sockets` value: one URL string, or an array of URL strings and `{url, weight}`
    /// tables, checked by `SocketEntry.parse`. Stored as canonical URLs; a table only with a weight.
    static func sockets(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let entries = try socketEntries(value)
        return .array(
            entries.map { entry in
                entry.weight == 0
                    ? .string(entry.url.description)
                    : .table(["url": .string(entry.url.description), "weight": .integer(entry.weight)])
            })
    }

    static func socketEntries(_ value: ConfigValue) throws(Rejection) -> [SocketEntry] {
        let items: [ConfigValue]
        switch value {
        case .array(let list): items = list
        case .string, .table: items = [value]
        default: throw Rejection("must be a socket URL, a {url, weight} table, or an array of them")
        }
        var values: [SocketEntry.Value] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let url): values.append(.url(url))
            case .table(let table):
                if let extra = table.keys.sorted().first(where: { $0 != "url" && $0 != "weight" }) {
                    throw Rejection("entry \(index + 1) has an unknown key '\(extra)' (url, weight)")
                }
                var url: String?
                if let given = table["url"] {
                    guard case .string(let text) = given else {
                        throw Rejection("entry \(index + 1): url must be a string")
                    }
                    url = text
                }
                var weight: Int?
                if let given = table["weight"] {
                    guard case .integer(let number) = try integer(given, minimum: Int.min) else {
                        throw Rejection("entry \(index + 1): weight must be a whole number")
                    }
                    weight = number
                }
                values.append(.table(url: url, weight: weight))
            default: throw Rejection("entry \(index + 1) must be a URL string or a {url, weight} table")
            }
        }
        do {
            return try SocketEntry.parse(values)
        } catch {
            throw Rejection(error.reason)
        }
    }

    /// `sipterm.keys`: a table of action names to a key name or an array of key names. Which names
    /// and keys exist is the interface's business; the core only keeps the shape right.
    static func keyBindings(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        guard case .table(let entries) = value else { throw Rejection("must be a table of action = key") }
        for (action, keys) in entries {
            switch keys {
            case .string(let key) where !key.isEmpty: continue
            case .array(let items) where !items.isEmpty && items.allSatisfy({ !($0.stringValue ?? "").isEmpty }):
                continue
            default: throw Rejection("\(action): must be a key name or an array of key names")
            }
        }
        return value
    }

    /// `sipterm.auto_answer`: "off", "immediately", or a whole number of seconds (0 is "immediately").
    static func autoAnswer(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        if case .string(let text) = value, ["off", "immediately"].contains(text.lowercased()) {
            return .string(text.lowercased())
        }
        guard case .integer(let seconds) = try? integer(value, minimum: 0) else {
            throw Rejection("must be \"off\", \"immediately\" or a whole number of seconds ≥ 0")
        }
        return seconds == 0 ? .string("immediately") : .integer(seconds)
    }

    /// The codecs sipterm can offer, in their canonical spelling.
    static let knownCodecs = ["PCMU", "PCMA", "opus", "telephone-event"]

    /// `sipterm.codecs`: known names (any case), no repeats, at least one audio codec.
    static func codecs(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        guard case .array(let items) = value else { throw Rejection("must be an array of codec names") }
        var names: [String] = []
        for item in items {
            guard case .string(let text) = item,
                let name = knownCodecs.first(where: { $0.lowercased() == text.lowercased() })
            else { throw Rejection("unknown codec \(item) (known: \(knownCodecs.joined(separator: ", ")))") }
            guard !names.contains(name) else { throw Rejection("codec \(name) is listed twice") }
            names.append(name)
        }
        guard names.contains(where: { $0 != "telephone-event" }) else { throw Rejection("needs an audio codec") }
        return .array(names.map { .string($0) })
    }

    /// `sipterm.dns_servers`: IP addresses with optional ports, stored as c-ares takes them.
    static func dnsServers(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let items: [ConfigValue]
        switch value {
        case .array(let list): items = list
        case .string: items = [value]
        default: throw Rejection("must be an array of DNS server addresses (IP or IP:port)")
        }
        var servers: [ConfigValue] = []
        for item in items {
            guard case .string(let text) = item, let server = DNSSettings.normalized(text) else {
                throw Rejection("\(item) is not a DNS server address (IP, IP:port or [IPv6]:port)")
            }
            servers.append(.string(server))
        }
        return .array(servers)
    }

    /// `sipterm.ice_servers`, in the shape of JsSIP's `pcConfig.iceServers`: an array of
    /// `{urls, username, credential}` tables (`urls` a URL or an array of them), or bare URL
    /// strings. URLs are `stun:`, `stuns:`, `turn:` or `turns:` with a host (RFC 7064/7065).
    /// Stored as tables with `urls` an array; nothing given is dropped.
    static func iceServers(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let items: [ConfigValue]
        switch value {
        case .array(let list): items = list
        case .string, .table: items = [value]
        default: throw Rejection("must be an array of ICE server URLs or {urls, username, credential} tables")
        }
        var servers: [ConfigValue] = []
        for (index, item) in items.enumerated() {
            var table: [String: ConfigValue]
            switch item {
            case .string(let text): table = ["urls": .array(text.split(separator: " ").map { .string(String($0)) })]
            case .table(let given): table = given
            default: throw Rejection("entry \(index + 1) must be a URL or a {urls, username, credential} table")
            }
            if let extra = table.keys.sorted().first(where: { !["urls", "username", "credential"].contains($0) }) {
                throw Rejection("entry \(index + 1) has an unknown key '\(extra)' (urls, username, credential)")
            }
            let urls: [ConfigValue]
            switch table["urls"] {
            case .string(let url)?: urls = [.string(url)]
            case .array(let list)? where !list.isEmpty: urls = list
            default: throw Rejection("entry \(index + 1) needs urls: a URL or an array of URLs")
            }
            for url in urls {
                guard case .string(let text) = url, ICEServerURL(text) != nil else {
                    throw Rejection(
                        "entry \(index + 1): \(url) is not a stun:, stuns:, turn: or turns: URL with a host")
                }
            }
            table["urls"] = .array(urls)
            for key in ["username", "credential"] {
                if let given = table[key], case .string = given {
                } else if table[key] != nil {
                    throw Rejection("entry \(index + 1): \(key) must be a string")
                }
            }
            servers.append(.table(table))
        }
        return .array(servers)
    }
}

extension Check {
    /// `sipterm.contacts`: an array of `{name, uri}` tables (`[[sipterm.contacts]]`) or
    /// `"Name <sip:user@host>"` / `user@host` strings. Stored as tables, `uri` a SIP URI with a
    /// user part (`sip:` added when missing) and `name` only when given.
    static func contacts(_ value: ConfigValue) throws(Rejection) -> ConfigValue {
        let items: [ConfigValue]
        switch value {
        case .array(let list): items = list
        case .string, .table: items = [value]
        default: throw Rejection("must be an array of {name, uri} tables or \"Name <sip:user@host>\" strings")
        }
        var contacts: [ConfigValue] = []
        for (index, item) in items.enumerated() {
            var name: String?
            let uri: ConfigValue
            switch item {
            case .string(let text):
                let trimmed = text.trimmingCharacters(in: " \t")
                if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
                    let display = trimmed[..<open].trimmingCharacters(in: " \t\"")
                    name = display.isEmpty ? nil : display
                    uri = .string(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]))
                } else {
                    uri = .string(trimmed)
                }
            case .table(let table):
                if let extra = table.keys.sorted().first(where: { $0 != "name" && $0 != "uri" }) {
                    throw Rejection("contact \(index + 1) has an unknown key '\(extra)' (name, uri)")
                }
                switch table["name"] {
                case .string(let text)?: name = text.isEmpty ? nil : text
                case nil: break
                default: throw Rejection("contact \(index + 1): name must be a string")
                }
                guard let given = table["uri"] else { throw Rejection("contact \(index + 1) needs a uri") }
                uri = given
            default:
                throw Rejection("contact \(index + 1) must be a {name, uri} table or a \"Name <sip:user@host>\" string")
            }
            let checked: ConfigValue
            do throws(Rejection) {
                checked = try userURI(uri)
                if let name { _ = try line(.string(name)) }
            } catch {
                throw Rejection("contact \(index + 1): \(error.reason)")
            }
            var table: [String: ConfigValue] = ["uri": checked]
            if let name { table["name"] = .string(name) }
            contacts.append(.table(table))
        }
        return .array(contacts)
    }
}
