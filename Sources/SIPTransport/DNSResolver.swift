import CCares
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// RFC 3263's lookups through c-ares, asking `settings.servers` (or the system's). Each lookup
/// runs to completion on NIO's blocking thread pool with a channel of its own, so no lookup
/// waits on another and nothing blocks the cooperative pool or an event loop.
public struct DNSResolver: DNSLookup {
    public var settings: DNSSettings

    public init(settings: DNSSettings = DNSSettings()) { self.settings = settings }

    public func naptr(_ name: String) async throws(DNSError) -> [NAPTRRecord] {
        try await query(name, type: "NAPTR") { answer throws(DNSError) in
            var head: UnsafeMutablePointer<ares_naptr_reply>?
            let status = answer.withUnsafeBufferPointer {
                ares_parse_naptr_reply($0.baseAddress, Int32($0.count), &head)
            }
            defer { if let head { ares_free_data(head) } }
            guard status == ARES_SUCCESS else { return try Self.emptyOrThrow(status, name: name, type: "NAPTR") }
            var records: [NAPTRRecord] = []
            var node = head
            while let reply = node?.pointee {
                records.append(
                    NAPTRRecord(
                        order: Int(reply.order), preference: Int(reply.preference), flags: Self.text(reply.flags),
                        service: Self.text(reply.service), regexp: Self.text(reply.regexp),
                        replacement: reply.replacement.map { String(cString: $0) } ?? ""))
                node = reply.next
            }
            return records
        }
    }

    public func srv(_ name: String) async throws(DNSError) -> [SRVRecord] {
        try await query(name, type: "SRV") { answer throws(DNSError) in
            var head: UnsafeMutablePointer<ares_srv_reply>?
            let status = answer.withUnsafeBufferPointer { ares_parse_srv_reply($0.baseAddress, Int32($0.count), &head) }
            defer { if let head { ares_free_data(head) } }
            guard status == ARES_SUCCESS else { return try Self.emptyOrThrow(status, name: name, type: "SRV") }
            var records: [SRVRecord] = []
            var node = head
            while let reply = node?.pointee {
                records.append(
                    SRVRecord(
                        priority: Int(reply.priority), weight: Int(reply.weight), port: Int(reply.port),
                        target: reply.host.map { String(cString: $0) } ?? ""))
                node = reply.next
            }
            return records
        }
    }

    public func addresses(_ name: String) async throws(DNSError) -> [String] {
        try await blocking(name, type: "A/AAAA") { channel, outcome in
            var hints = ares_addrinfo_hints()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            ares_getaddrinfo(
                channel, name, nil, &hints, DNSResolver.addressesDone, Unmanaged.passUnretained(outcome).toOpaque())
        }.addresses
    }

    // MARK: c-ares plumbing

    /// What one lookup's callback hands back.
    final class Outcome: @unchecked Sendable {
        var status: Int32 = ARES_ENOTINITIALIZED
        var answer: [UInt8] = []
        var addresses: [String] = []
    }

    private static let initialized: Int32 = ares_library_init(ARES_LIB_INIT_ALL)

    private func query<T: Sendable>(
        _ name: String, type: String, parse: @escaping @Sendable ([UInt8]) throws(DNSError) -> [T]
    ) async throws(DNSError) -> [T] {
        let code: Int32 = type == "NAPTR" ? 35 : 33  // ns_t_naptr, ns_t_srv
        let outcome = try await blocking(name, type: type) { channel, outcome in
            ares_query(
                channel, name, 1 /* ns_c_in */, code, DNSResolver.queryDone,
                Unmanaged.passUnretained(outcome).toOpaque())
        }
        // No answer records (NODATA, or NXDOMAIN): c-ares 1.18 calls such a reply misformatted.
        guard outcome.answer.count >= 12, outcome.answer[6] != 0 || outcome.answer[7] != 0 else { return [] }
        return try parse(outcome.answer)
    }

    private static let queryDone: ares_callback = { context, status, _, answer, length in
        guard let context else { return }
        let outcome = Unmanaged<Outcome>.fromOpaque(context).takeUnretainedValue()
        outcome.status = status
        if status == ARES_SUCCESS, let answer, length > 0 {
            outcome.answer = Array(UnsafeBufferPointer(start: answer, count: Int(length)))
        }
    }

    private static let addressesDone: ares_addrinfo_callback = { context, status, _, result in
        guard let context else { return }
        let outcome = Unmanaged<Outcome>.fromOpaque(context).takeUnretainedValue()
        outcome.status = status
        guard let result else { return }
        defer { ares_freeaddrinfo(result) }
        var node = result.pointee.nodes
        while let entry = node?.pointee {
            if let address = entry.ai_addr, let text = Self.numeric(address), !outcome.addresses.contains(text) {
                outcome.addresses.append(text)
            }
            node = entry.ai_next
        }
    }

    /// Runs `start` and then the channel to completion on a pool thread.
    private func blocking(
        _ name: String, type: String, start: @escaping @Sendable (ares_channel, Outcome) -> Void
    ) async throws(DNSError) -> Outcome {
        let settings = settings
        let result: Result<Outcome, DNSError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () -> Result<Outcome, DNSError> in
                Self.run(name: name, type: type, settings: settings, start: start)
            }
        } catch {
            throw DNSError(name: name, type: type, reason: "the resolver thread pool is not running: \(error)")
        }
        let outcome = try result.get()
        if outcome.status == ARES_SUCCESS || Self.isNotFound(outcome.status) { return outcome }
        throw DNSError(name: name, type: type, reason: Self.words(outcome.status))
    }

    private static func run(
        name: String, type: String, settings: DNSSettings, start: (ares_channel, Outcome) -> Void
    ) -> Result<Outcome, DNSError> {
        guard initialized == ARES_SUCCESS else {
            return .failure(DNSError(name: name, type: type, reason: "c-ares did not start: \(words(initialized))"))
        }
        var options = ares_options()
        options.timeout = Int32(settings.timeoutMilliseconds)
        options.tries = Int32(settings.tries)
        var channel: ares_channel?
        let made = ares_init_options(&channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES)
        guard made == ARES_SUCCESS, let channel else {
            return .failure(DNSError(name: name, type: type, reason: "no resolver: \(words(made))"))
        }
        defer { ares_destroy(channel) }
        if !settings.servers.isEmpty {
            let set = ares_set_servers_ports_csv(channel, settings.servers.joined(separator: ","))
            guard set == ARES_SUCCESS else {
                return .failure(
                    DNSError(
                        name: name, type: type,
                        reason: "DNS servers \(settings.servers.joined(separator: ", ")) not usable: \(words(set))"))
            }
        }
        let outcome = Outcome()
        start(channel, outcome)
        ccares_run(channel)
        return .success(outcome)
    }

    private static func isNotFound(_ status: Int32) -> Bool { status == ARES_ENODATA || status == ARES_ENOTFOUND }

    private static func emptyOrThrow<T>(_ status: Int32, name: String, type: String) throws(DNSError) -> [T] {
        // An answer with no records of the type parses as ENODATA: the name has none.
        if isNotFound(status) { return [] }
        throw DNSError(name: name, type: type, reason: "unreadable answer: \(words(status))")
    }

    private static func words(_ status: Int32) -> String {
        switch status {
        case ARES_ETIMEOUT: return "no answer from the DNS server (timed out)"
        case ARES_ECONNREFUSED: return "the DNS server refused the connection"
        case ARES_ESERVFAIL: return "the DNS server failed (SERVFAIL)"
        case ARES_EREFUSED: return "the DNS server refused the query"
        default: return ares_strerror(status).map { String(cString: $0) } ?? "c-ares error \(status)"
        }
    }

    private static func text(_ bytes: UnsafeMutablePointer<UInt8>?) -> String {
        bytes.map { String(cString: $0) } ?? ""
    }

    private static func numeric(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        default:
            return nil
        }
    }
}
