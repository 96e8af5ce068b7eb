#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A 64-bit NTP timestamp (RFC 3550 §4): seconds since 1 January 1900 and a binary fraction of
/// a second. The seconds wrap in 2036; `date` reads a value with the top bit clear as the next
/// era (RFC 4330 §3), so the conversion holds from 1968 to 2104.
public struct NTPTimestamp: Sendable, Hashable {
    public var seconds: UInt32
    public var fraction: UInt32

    /// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
    public static let unixEpochOffset: UInt32 = 2_208_988_800

    public init(seconds: UInt32, fraction: UInt32) {
        self.seconds = seconds
        self.fraction = fraction
    }

    public init(rawValue: UInt64) {
        self.init(seconds: UInt32(truncatingIfNeeded: rawValue >> 32), fraction: UInt32(truncatingIfNeeded: rawValue))
    }

    /// Seconds in the high 32 bits, fraction in the low 32.
    public var rawValue: UInt64 { UInt64(seconds) << 32 | UInt64(fraction) }

    /// The middle 32 bits (16.16 fixed point seconds), the form of LSR and of RTT arithmetic.
    public var middle32: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// The instant `date`, to the nearest fraction below it.
    public init(_ date: Date) {
        let since1970 = date.timeIntervalSince1970
        guard since1970.isFinite, abs(since1970) < 1e12 else {
            self.init(seconds: 0, fraction: 0)
            return
        }
        let whole = since1970.rounded(.down)
        let fraction = min((since1970 - whole) * 4_294_967_296, 4_294_967_295)
        self.init(
            seconds: UInt32(truncatingIfNeeded: Int64(whole) + Int64(Self.unixEpochOffset)),
            fraction: UInt32(fraction))
    }

    /// The timestamp as a date (era 0 when the top bit of `seconds` is set, era 1 otherwise).
    public var date: Date {
        let era: Int64 = seconds & 0x8000_0000 == 0 ? 1 << 32 : 0
        let since1970 = Int64(seconds) + era - Int64(Self.unixEpochOffset)
        return Date(timeIntervalSince1970: Double(since1970) + Double(fraction) / 4_294_967_296)
    }

    /// The current wallclock time.
    public static func now() -> NTPTimestamp { NTPTimestamp(Date()) }
}

/// NTP timestamps for instants of the continuous (monotonic) clock: the wallclock is read once,
/// at creation, and later instants are offset from it, so reports never jump with wallclock
/// adjustments and stay consistent with each other.
public struct NTPClock: Sendable {
    public let referenceDate: Date
    public let referenceInstant: ContinuousClock.Instant

    public init(referenceDate: Date = Date(), referenceInstant: ContinuousClock.Instant = .now) {
        self.referenceDate = referenceDate
        self.referenceInstant = referenceInstant
    }

    public func timestamp(at instant: ContinuousClock.Instant) -> NTPTimestamp {
        let elapsed = referenceInstant.duration(to: instant).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return NTPTimestamp(referenceDate.addingTimeInterval(seconds))
    }

    public func now() -> NTPTimestamp { timestamp(at: .now) }
}

/// Round-trip time from reception report blocks (RFC 3550 §6.4.1).
public enum RoundTripTime {
    /// The round trip in seconds: arrival time of a report block (middle 32 bits of the NTP
    /// time), less the LSR it echoes, less the DLSR the remote spent before sending it, all in
    /// 1/65536 s modulo 2^32. Nil when LSR is 0 (the remote has no SR from us yet) or when the
    /// result is negative (inconsistent clocks or a corrupt block).
    public static func roundTrip(arrivalNTPMiddle: UInt32, lastSR: UInt32, delaySinceLastSR: UInt32) -> Double? {
        guard lastSR != 0 else { return nil }
        let units = Int32(bitPattern: arrivalNTPMiddle &- lastSR &- delaySinceLastSR)
        guard units >= 0 else { return nil }
        return Double(units) / 65536
    }

    /// A delay in the 1/65536 s units of DLSR, clamped to what 32 bits hold.
    public static func compactDelay(seconds: Double) -> UInt32 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt32(min(seconds * 65536, Double(UInt32.max)))
    }
}
