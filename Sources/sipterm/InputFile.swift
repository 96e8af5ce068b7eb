#if canImport(Glibc)
    import Glibc
#endif

/// Reading a file or standard input as bytes, and writing a line to stderr, through plain file
/// descriptors (the C `stdin`/`stderr` globals are not concurrency-safe in Swift 6).
enum InputFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    static func printError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
