/// RFC 3263 §4 for a client: which transports, addresses and ports a socket's server is at, in
/// the order to try them.
///
/// - An IP address is used as it is.
/// - WS/WSS URLs keep their HTTP meaning (as JsSIP and browsers do): the host's addresses at
///   the URL's port.
/// - A port given: the host's addresses (A/AAAA) at that port.
/// - A transport given (`udp://`, `tcp://`, `tls://`, `;transport=`): its SRV records
///   (`_sip._udp`, `_sip._tcp`, `_sips._tcp`), else the host's addresses at the default port.
/// - Neither (`sip:example.com`, `sips:example.com`): NAPTR picks the transports in order and
///   preference (`SIP+D2U`, `SIP+D2T`, `SIPS+D2T`; only the last for `sips:`), each followed to
///   its SRV; without NAPTR the SRV names of udp, tcp and tls are tried; without any, UDP (TLS
///   for `sips:`) at the host's addresses.
///
/// SRV answers are ordered by priority and weight (RFC 2782). Every address of every target
/// is a candidate, so a connection that cannot be made fails over to the next.
public struct ServerLocator: Sendable {
    public var dns: any DNSLookup

    public init(dns: any DNSLookup) { self.dns = dns }

    /// The targets in the order to try them; throws when DNS gives none, naming what was asked.
    public func targets(
        for url: SocketURL, using random: inout some RandomNumberGenerator
    ) async throws(TransportError) -> [ServerTarget] {
        if url.host.isIPAddress { return [ServerTarget(kind: url.kind, address: url.host.address, port: url.port)] }
        let name = url.host.address
        var failures: [DNSError] = []
        var found: [ServerTarget] = []
        let asked: String
        if url.kind.isWebSocket || url.portGiven {
            asked = "no A or AAAA record"
            found = await addresses(name, kind: url.kind, port: url.port, failures: &failures)
        } else if url.transportGiven {
            asked = "no SRV, A or AAAA record"
            found = await viaSRV(url.kind, name: name, failures: &failures, using: &random)
        } else {
            asked = "no NAPTR, SRV, A or AAAA record"
            found = await viaNAPTR(name, secure: url.kind.isSecure, failures: &failures, using: &random)
        }
        if found.isEmpty && !url.kind.isWebSocket && !url.portGiven {
            found = await addresses(name, kind: url.kind, port: url.kind.defaultPort, failures: &failures)
        }
        var unique: [ServerTarget] = []
        for target in found where !unique.contains(target) { unique.append(target) }
        guard unique.isEmpty else { return unique }
        let why = failures.isEmpty ? asked : failures.map(\.description).joined(separator: "; ")
        throw TransportError("DNS: no server found for \(url) (\(why))")
    }

    /// The transport each NAPTR service stands for (RFC 3263 §4.1).
    static let services: [String: TransportKind] = ["SIP+D2U": .udp, "SIP+D2T": .tcp, "SIPS+D2T": .tls]

    static func srvName(_ kind: TransportKind, _ name: String) -> String {
        switch kind {
        case .udp: return "_sip._udp.\(name)"
        case .tls, .wss: return "_sips._tcp.\(name)"
        case .tcp, .ws: return "_sip._tcp.\(name)"
        }
    }

    private func viaNAPTR(
        _ name: String, secure: Bool, failures: inout [DNSError], using random: inout some RandomNumberGenerator
    ) async -> [ServerTarget] {
        var records: [NAPTRRecord] = []
        do {
            records = try await dns.naptr(name)
        } catch {
            failures.append(error)
        }
        let usable =
            records
            .filter { $0.flags.lowercased() == "s" && $0.regexp.isEmpty && !$0.replacement.isEmpty }
            .compactMap { record in Self.services[record.service.uppercased()].map { (record, $0) } }
            .filter { !secure || $0.1 == .tls }
            .sorted { ($0.0.order, $0.0.preference) < ($1.0.order, $1.0.preference) }
        var found: [ServerTarget] = []
        for (record, kind) in usable {
            found += await targets(ofSRV: record.replacement, kind: kind, failures: &failures, using: &random)
        }
        if !found.isEmpty { return found }
        for kind in secure ? [TransportKind.tls] : [.udp, .tcp, .tls] {
            found += await viaSRV(kind, name: name, failures: &failures, using: &random)
        }
        return found
    }

    private func viaSRV(
        _ kind: TransportKind, name: String, failures: inout [DNSError], using random: inout some RandomNumberGenerator
    ) async -> [ServerTarget] {
        await targets(ofSRV: Self.srvName(kind, name), kind: kind, failures: &failures, using: &random)
    }

    private func targets(
        ofSRV name: String, kind: TransportKind, failures: inout [DNSError],
        using random: inout some RandomNumberGenerator
    ) async -> [ServerTarget] {
        let records: [SRVRecord]
        do {
            records = try await dns.srv(name)
        } catch {
            failures.append(error)
            return []
        }
        var found: [ServerTarget] = []
        for record in SRVOrder.ordered(records, using: &random) {
            found += await addresses(record.target, kind: kind, port: record.port, failures: &failures)
        }
        return found
    }

    private func addresses(
        _ name: String, kind: TransportKind, port: Int, failures: inout [DNSError]
    ) async -> [ServerTarget] {
        do {
            return try await dns.addresses(name).map { ServerTarget(kind: kind, address: $0, port: port) }
        } catch {
            failures.append(error)
            return []
        }
    }
}
