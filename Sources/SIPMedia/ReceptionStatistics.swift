/// What a receiver knows about one remote source (SSRC), per RFC 3550 Appendix A:
/// sequence number validation with probation and wraparound (A.1), expected and lost packets
/// (A.3), and interarrival jitter (A.8).
///
/// As in A.1, a new source is on probation until `minSequential` packets arrive in sequence;
/// the packets before the last of those are not counted, and counting starts from the packet
/// that validates the source. A jump of more than `maxDropout` ahead (or `maxMisorder` behind)
/// is ignored unless the next packet follows it, in which case the source is taken to have
/// restarted and the counts start again from that packet.
public struct ReceptionStatistics: Sendable {
    public static let maxDropout = 3000
    public static let maxMisorder = 100
    public static let minSequential = 2
    private static let sequenceModulus = 1 << 16

    /// The media clock rate, RTP timestamp units per second.
    public let clockRate: Double

    private var maxSequence: UInt16 = 0
    /// Wraparounds of the sequence number, times 2^16.
    private var cycles = 0
    private var baseSequence = 0
    /// The sequence number that would confirm a restart (2^16 + 1 when none can).
    private var badSequence = (1 << 16) + 1
    private var probation = ReceptionStatistics.minSequential
    private var started = false
    private var received = 0
    private var expectedPrior = 0
    private var receivedPrior = 0
    /// Arrival (seconds) and RTP timestamp of the previous counted packet, for the jitter.
    private var previous: (arrival: Double, timestamp: UInt32)?
    /// Interarrival jitter in timestamp units.
    public private(set) var jitter: Double = 0

    public init(clockRate: Int) {
        self.clockRate = Double(max(clockRate, 1))
    }

    /// Records one RTP packet of this source. `arrival` is its arrival time in seconds on any
    /// steady clock. Returns whether the packet counts (false while on probation, and for a
    /// lone jump in sequence).
    @discardableResult
    public mutating func received(sequence: UInt16, timestamp: UInt32, arrival: Double) -> Bool {
        if !started {
            started = true
            initSequence(sequence)
            maxSequence = sequence &- 1
            probation = Self.minSequential
        }
        guard updateSequence(sequence) else { return false }
        // A.8: D(i-1, i) = (R_i - R_i-1) - (S_i - S_i-1), in timestamp units; the timestamp
        // difference is taken modulo 2^32 so a wrapping timestamp does not count as delay.
        if let previous {
            let arrivalUnits = (arrival - previous.arrival) * clockRate
            let timestampUnits = Double(Int32(bitPattern: timestamp &- previous.timestamp))
            let difference = abs(arrivalUnits - timestampUnits)
            if difference.isFinite { jitter += (difference - jitter) / 16 }
        }
        previous = (arrival, timestamp)
        return true
    }

    private mutating func initSequence(_ sequence: UInt16) {
        baseSequence = Int(sequence)
        maxSequence = sequence
        badSequence = Self.sequenceModulus + 1
        cycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
        previous = nil
    }

    /// A.1 `update_seq`, with the probation test taken modulo 2^16.
    private mutating func updateSequence(_ sequence: UInt16) -> Bool {
        let delta = Int(sequence &- maxSequence)
        if probation > 0 {
            if sequence == maxSequence &+ 1 {
                probation -= 1
                maxSequence = sequence
                if probation == 0 {
                    initSequence(sequence)
                    received += 1
                    return true
                }
            } else {
                probation = Self.minSequential - 1
                maxSequence = sequence
            }
            return false
        } else if delta < Self.maxDropout {
            // In order, with a permissible gap.
            if sequence < maxSequence { cycles += Self.sequenceModulus }
            maxSequence = sequence
        } else if delta <= Self.sequenceModulus - Self.maxMisorder {
            // A very large jump: a restart only if the next packet follows it.
            if Int(sequence) == badSequence {
                initSequence(sequence)
            } else {
                badSequence = (Int(sequence) + 1) & (Self.sequenceModulus - 1)
                return false
            }
        }
        // Otherwise a duplicate or reordered packet, counted as received.
        received += 1
        return true
    }

    /// Whether the source has passed probation.
    public var isValid: Bool { started && probation == 0 }

    /// Packets counted since the source was validated (duplicates included).
    public var packetsReceived: Int { received }

    /// The highest sequence number seen, extended by the wraparound count.
    public var extendedHighestSequence: UInt32 { UInt32(truncatingIfNeeded: cycles + Int(maxSequence)) }

    /// Packets expected since the source was validated (A.3).
    public var expectedPackets: Int { isValid ? cycles + Int(maxSequence) - baseSequence + 1 : 0 }

    /// Expected minus received: negative when duplicates outnumber losses.
    public var cumulativeLost: Int { expectedPackets - received }

    /// The fraction (0–1) of the packets expected since the last report block that were lost;
    /// 0 when none were expected or duplicates made up for the losses.
    public var fractionLost: Double {
        let expectedInterval = expectedPackets - expectedPrior
        let lostInterval = expectedInterval - (received - receivedPrior)
        guard expectedInterval > 0, lostInterval > 0 else { return 0 }
        return Double(lostInterval) / Double(expectedInterval)
    }

    /// The interarrival jitter in seconds.
    public var jitterSeconds: Double { jitter / clockRate }

    /// A report block on this source for an SR or RR, given what we know of its last SR; the
    /// fraction lost it carries covers the packets since the previous call.
    public mutating func reportBlock(ssrc: UInt32, lastSRTimestamp: UInt32, delaySinceLastSR: UInt32) -> ReportBlock {
        let expected = expectedPackets
        let lost = min(max(expected - received, -0x80_0000), 0x7F_FFFF)
        let expectedInterval = expected - expectedPrior
        let lostInterval = expectedInterval - (received - receivedPrior)
        expectedPrior = expected
        receivedPrior = received
        let fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : min((lostInterval << 8) / expectedInterval, 255)
        return ReportBlock(
            ssrc: ssrc, fractionLost: UInt8(fraction), cumulativeLost: Int32(lost),
            extendedHighestSequence: extendedHighestSequence, jitter: UInt32(min(jitter, Double(UInt32.max))),
            lastSR: lastSRTimestamp, delaySinceLastSR: delaySinceLastSR)
    }
}
