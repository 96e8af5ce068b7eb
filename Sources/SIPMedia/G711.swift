/// G.711 μ-law (PCMU) and A-law (PCMA): 16-bit linear samples to 8-bit codes and back, as
/// ITU-T G.711 defines the segment tables. Pure functions, so they run on the audio path
/// without allocation beyond the output buffer.
public enum G711 {
    private static let ulawBias = 0x84
    private static let ulawClip = 32635

    public static func ulaw(_ sample: Int16) -> UInt8 {
        var value = Int(sample)
        let sign = value < 0 ? 0x80 : 0
        if value < 0 { value = -value }
        value = min(value, ulawClip) + ulawBias
        var exponent = 7
        while exponent > 0 && value & (0x80 << exponent) == 0 { exponent -= 1 }
        let mantissa = (value >> (exponent + 3)) & 0x0F
        return ~UInt8(sign | exponent << 4 | mantissa)
    }

    public static func linear(ulaw code: UInt8) -> Int16 {
        let value = Int(~code)
        let exponent = (value >> 4) & 0x07
        let magnitude = (((value & 0x0F) << 3) + ulawBias) << exponent - ulawBias
        return Int16(value & 0x80 != 0 ? -magnitude : magnitude)
    }

    public static func alaw(_ sample: Int16) -> UInt8 {
        var value = Int(sample) >> 3
        let mask: Int
        if value >= 0 {
            mask = 0xD5
        } else {
            mask = 0x55
            value = -value - 1
        }
        var segment = 0
        while segment < 8 && value > (0x20 << segment) - 1 { segment += 1 }
        guard segment < 8 else { return UInt8(0x7F ^ mask) }
        let quantised = segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F
        return UInt8((segment << 4 | quantised) ^ mask)
    }

    public static func linear(alaw code: UInt8) -> Int16 {
        let value = Int(code) ^ 0x55
        var magnitude = (value & 0x0F) << 4
        let segment = (value & 0x70) >> 4
        switch segment {
        case 0: magnitude += 8
        case 1: magnitude += 0x108
        default: magnitude = (magnitude + 0x108) << (segment - 1)
        }
        return Int16(value & 0x80 != 0 ? magnitude : -magnitude)
    }

    /// Encodes a frame of samples.
    public static func encode(_ samples: [Int16], alaw useALaw: Bool) -> [UInt8] {
        useALaw ? samples.map(alaw) : samples.map(ulaw)
    }

    /// Decodes a frame of codes.
    public static func decode(_ codes: [UInt8], alaw useALaw: Bool) -> [Int16] {
        useALaw ? codes.map { linear(alaw: $0) } : codes.map { linear(ulaw: $0) }
    }
}
