import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Tells waiting connections when this machine's addresses or links change, so the address
/// watch sleeps until something happens instead of polling: on Linux one thread blocks on a
/// NETLINK_ROUTE socket subscribed to link and address changes (the kernel wakes it; an idle
/// phone never does). Elsewhere, or when netlink cannot be opened, `changes` is nil and the
/// watch polls.
final class AddressChanges: Sendable {
    static let shared = AddressChanges()

    private let waiters = NIOLockedValueBox<[Int: AsyncStream<Void>.Continuation]>([:])
    private let nextID = NIOLockedValueBox(0)
    private let available: Bool

    private init() {
        #if os(Linux)
            let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)  // NETLINK_ROUTE
            guard fd >= 0 else {
                available = false
                return
            }
            // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
            let groups: UInt32 = 0x1 | 0x10 | 0x100  // RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR
            var address: (UInt16, UInt16, UInt32, UInt32) = (UInt16(AF_NETLINK), 0, 0, groups)
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, 12) }
            }
            guard bound == 0 else {
                close(fd)
                available = false
                return
            }
            available = true
            let box = waiters
            var thread = pthread_t()
            let started = pthread_create(
                &thread, nil,
                { context in
                    guard let context else { return nil }
                    let (fd, box) = Unmanaged<Reader>.fromOpaque(context).takeRetainedValue().parts
                    var buffer = [UInt8](repeating: 0, count: 8192)
                    while true {
                        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                        if count < 0, errno == EINTR { continue }
                        // An overrun (ENOBUFS) also means something changed.
                        guard count > 0 || errno == ENOBUFS else { return nil }
                        box.withLockedValue { waiters in for waiter in waiters.values { waiter.yield() } }
                    }
                }, Unmanaged.passRetained(Reader(fd: fd, box: box)).toOpaque())
            if started == 0 { pthread_detach(thread) }
        #else
            available = false
        #endif
    }

    /// The fd and the waiters, handed to the reader thread.
    private final class Reader: @unchecked Sendable {
        let parts: (Int32, NIOLockedValueBox<[Int: AsyncStream<Void>.Continuation]>)
        init(fd: Int32, box: NIOLockedValueBox<[Int: AsyncStream<Void>.Continuation]>) { parts = (fd, box) }
    }

    /// A stream that yields after each change, until the caller stops iterating; nil when the
    /// kernel cannot tell (poll instead).
    func changes() -> AsyncStream<Void>? {
        guard available else { return nil }
        let id = nextID.withLockedValue { value in
            value += 1
            return value
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [waiters] _ in _ = waiters.withLockedValue { $0.removeValue(forKey: id) } }
        waiters.withLockedValue { $0[id] = continuation }
        return stream
    }
}
