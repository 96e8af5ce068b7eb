#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file calls the WAV reader and writer need, through plain descriptors. Failures
/// carry the `strerror` text so that the caller can name the file and what went wrong.
enum PosixFile {
    struct Failure: Error {
        var message: String

        /// The `strerror` text, after `action` when given ("cannot write: No space left on device").
        static func errno(_ action: String? = nil) -> Failure {
            let reason = String(cString: strerror(currentErrno))
            return Failure(message: action.map { "\($0): \(reason)" } ?? reason)
        }
    }

    private static var currentErrno: Int32 { errno }

    /// The whole file, refusing one longer than `limit` bytes.
    static func readAll(path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .errno() }
        defer { _ = close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if currentErrno == EINTR { continue }
                throw .errno("cannot read")
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw Failure(message: "file is larger than the \(limit / 1_048_576) MiB limit")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Creates (or truncates) a file for writing with the given permission bits.
    static func create(path: String, mode: mode_t) throws(Failure) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .errno() }
        return fd
    }

    /// Writes every byte at the current offset, or at `offset` when given (the offset of the
    /// descriptor is then left alone).
    static func writeAll(fd: Int32, _ bytes: [UInt8], at offset: Int? = nil) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                let start = buffer.baseAddress.map { $0 + done }
                if let offset { return pwrite(fd, start, buffer.count - done, off_t(offset + done)) }
                return write(fd, start, buffer.count - done)
            }
            if count < 0 {
                if currentErrno == EINTR { continue }
                throw .errno("cannot write")
            }
            done += count
        }
    }

    static func closeFile(_ fd: Int32) throws(Failure) {
        guard close(fd) == 0 else { throw .errno("cannot close") }
    }
}
