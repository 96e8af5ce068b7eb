import NIOCore
import NIOPosix

/// How a connection notices that the network under it went away: the kernel keeps a socket
/// whose interface was removed (or whose address was taken away) open, and a TCP peer that can
/// no longer be reached is only declared dead minutes later, so sipterm looks at the machine's
/// addresses itself, as softphones do, and drops a connection whose local address no longer
/// belongs to any interface. The transport then recovers with its backoff, as after any failure.
/// On Linux the kernel says when addresses or links change (netlink), so the addresses are read
/// only then and an idle phone never wakes; elsewhere they are read every `interval`.
public struct LocalAddressWatch: Sendable, Equatable {
    /// How often the addresses are read where the kernel cannot say when they change; zero turns
    /// the watch off.
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
        if let changes = AddressChanges.shared.changes() {
            // A change just before the subscription is caught by this first look.
            if await Self.ended(connection, local) { return }
            for await _ in changes where !Task.isCancelled {
                if await Self.ended(connection, local) { return }
            }
            return
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            if await Self.ended(connection, local) { return }
        }
    }

    /// Ends the connection when `local` is gone; true when it did.
    private static func ended(_ connection: Connection, _ local: String) async -> Bool {
        guard !isPresent(local) else { return false }
        connection.continuation.yield(
            .closed(TransportError("the local address \(local) left this machine's interfaces (network lost)")))
        await connection.close()
        return true
    }
}
