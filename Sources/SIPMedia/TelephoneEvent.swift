/// An RFC 4733 telephone-event payload: which DTMF key, whether the event ended, its volume
/// (in −dBm0) and how long it has lasted in timestamp units.
public struct TelephoneEvent: Sendable, Equatable {
    public var event: UInt8
    public var isEnd: Bool
    /// 0–63, as −dBm0 (RFC 4733 §2.3.4); 10 is a common sending level.
    public var volume: UInt8
    public var duration: UInt16

    public init(event: UInt8, isEnd: Bool = false, volume: UInt8 = 10, duration: UInt16) {
        self.event = event
        self.isEnd = isEnd
        self.volume = volume & 0x3F
        self.duration = duration
    }

    /// The keys of JsSIP's tone set (`0-9 * # A-D`, and `R` for flash) and their event codes.
    static let tones: [Character] = Array("0123456789*#ABCD")

    public init?(tone: Character, isEnd: Bool = false, volume: UInt8 = 10, duration: UInt16 = 0) {
        let upper = Character(tone.uppercased())
        if upper == "R" {
            self.init(event: 16, isEnd: isEnd, volume: volume, duration: duration)
        } else if let index = Self.tones.firstIndex(of: upper) {
            self.init(event: UInt8(index), isEnd: isEnd, volume: volume, duration: duration)
        } else {
            return nil
        }
    }

    /// The key this event stands for, or nil for events outside the DTMF set.
    public var tone: Character? {
        if event == 16 { return "R" }
        return Int(event) < Self.tones.count ? Self.tones[Int(event)] : nil
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing bytes: [UInt8]) throws(Invalid) {
        guard bytes.count >= 4 else {
            throw Invalid(description: "telephone-event payload of \(bytes.count) bytes (4 needed)")
        }
        self.init(
            event: bytes[0], isEnd: bytes[1] & 0x80 != 0, volume: bytes[1] & 0x3F,
            duration: UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
    }

    public var bytes: [UInt8] {
        [event, (isEnd ? 0x80 : 0) | volume & 0x3F, UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }
}
