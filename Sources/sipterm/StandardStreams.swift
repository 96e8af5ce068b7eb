import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Standard input as an async stream of lines, read on a thread of its own so that a blocking
/// read never holds a thread of the cooperative pool.
enum StandardInput {
    static func lines() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
            thread.start()
        }
    }
}

/// Whole lines to standard output, one write each, so lines from concurrent tasks never mix.
enum StandardOutput {
    static func writeLine(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
