import NIOCore
import NIOPosix

/// Where host candidates besides the RTP socket's go (RFC 8445 §5.1.1.1: every usable
/// interface, IPv4 and IPv6): the addresses of the interfaces that are up, of both families.
/// Loopback addresses are candidates only when the call's own address is loopback (a peer
/// elsewhere cannot reach them; a peer on this machine can reach nothing else), and IPv6
/// link-local ones never (they need a scope the SDP cannot carry).
enum ICEInterfaces {
    static func otherAddresses(besides primary: String) -> [String] {
        let devices = (try? System.enumerateDevices()) ?? []
        let loopbackCall = isLoopback(primary)
        var found: [String] = []
        for device in devices {
            guard let ip = device.address?.ipAddress, ip != primary, !found.contains(ip),
                isLoopback(ip) == loopbackCall, !isLinkLocal(ip)
            else { continue }
            found.append(ip)
        }
        return found
    }

    static func isLoopback(_ ip: String) -> Bool { ip.hasPrefix("127.") || ip == "::1" }

    static func isLinkLocal(_ ip: String) -> Bool {
        let lower = ip.lowercased()
        return lower.hasPrefix("fe8") || lower.hasPrefix("fe9") || lower.hasPrefix("fea") || lower.hasPrefix("feb")
            || ip.hasPrefix("169.254.")
    }
}
