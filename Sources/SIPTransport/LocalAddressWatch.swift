import NIOCore
import NIOPosix

/// How a connection notices that the network under it went away: the kernel keeps a socket
/// whose interface was removed (or whose address was taken away) open, and a TCP peer that can
/// no longer be reached is only declared dead minutes later, so sipterm looks at the machine's
/// addresses itself, as softphones do, and drops a connection whose local address no longer
/// belongs to any interface. The transport then recovers with its backoff, as after any failure.
public struct LocalAddressWatch: Sendable, Equatable {
    /// How often the addresses are read (one getifaddrs call).
    public var interval: Duration

    public init(interval: Duration = .seconds(1)) { self.interval = interval }

    public static let off = LocalAddressWatch(interval: .zero)

    /// Whether `ip` is still an address of one of this machine's interfaces. A wildcard
    /// address is never gone; when the interfaces cannot be read, nothing is.
    static func isPresent(_ ip: String) -> Bool {
        guard ip != "0.0.0.0", ip != "::", let devices = try? System.enumerateDevices() else { return true }
        return devices.contains { $0.address?.ipAddress == ip }
    }

    /// Ends `connection` with a clear error once its local address is gone; returns when the
    /// task is cancelled or the connection was ended.
    func watch(_ connection: Connection) async {
        guard interval > .zero, let local = connection.localAddress?.host else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            if !Self.isPresent(local) {
                connection.continuation.yield(
                    .closed(TransportError("the local address \(local) left this machine's interfaces (network lost)")))
                await connection.close()
                return
            }
        }
    }
}
