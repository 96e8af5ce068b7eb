/// Regroups DTLS records into datagrams.
///
/// A memory BIO is a byte stream, so the records OpenSSL wrote for one flight arrive concatenated.
/// Sending them as one datagram could exceed the MTU; sending each alone wastes packets. Records
/// are therefore cut apart at their length fields and packed greedily up to the MTU
/// (RFC 6347 §4.1.1 allows several records per datagram).
enum DTLSRecordPacker {
    /// The DTLS record header: type, version, epoch, sequence number, length.
    static let headerLength = 13

    static func datagrams(from bytes: ArraySlice<UInt8>, mtu: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            var end = bytes.endIndex
            if bytes.endIndex - offset >= headerLength {
                let length = Int(bytes[offset + 11]) << 8 | Int(bytes[offset + 12])
                end = min(bytes.endIndex, offset + headerLength + length)
            }
            if !current.isEmpty && current.count + (end - offset) > mtu {
                datagrams.append(current)
                current = []
            }
            current.append(contentsOf: bytes[offset..<end])
            offset = end
        }
        if !current.isEmpty { datagrams.append(current) }
        return datagrams
    }
}
