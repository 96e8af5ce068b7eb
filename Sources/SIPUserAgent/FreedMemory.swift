#if canImport(Glibc)
    import Glibc
#endif

/// Hands freed heap pages back to the system after a burst: glibc's malloc keeps what a flood of
/// transactions freed, so an agent's RSS would stay at its peak for good. `malloc_trim` is looked
/// up at run time because the Glibc module does not declare it.
enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: Trim.self)
        #else
            return nil
        #endif
    }()

    /// Returns free pages of every malloc arena to the system; a no-op where there is no glibc.
    static func release() { _ = trim?(0) }
}
