import COpenSSL

/// The thread-local OpenSSL error queue. Drained after every operation so that one failure
/// never leaks into the diagnosis of a later, unrelated call on the same thread.
enum OpenSSLErrorQueue {
    /// Empties the queue and returns its reasons joined by "; " (empty if there were none).
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                reasons.append(
                    String(
                        decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                        as: UTF8.self))
            }
        }
        return reasons.joined(separator: "; ")
    }

    /// Empties the queue, discarding its contents.
    static func clear() {
        ERR_clear_error()
    }
}
