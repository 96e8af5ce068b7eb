#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sample-rate conversion and downmixing for audio entering sipterm from files.
///
/// Band-limited interpolation: each output sample is the input convolved with a Blackman-windowed
/// sinc centred on the output instant, cut off at 45 % of the lower of the two rates (3.6 kHz
/// when the output is 8 kHz), so that 48 kHz, 44.1 kHz or 16 kHz material does not alias into
/// the telephone band. The kernel is tabulated at 256 sub-sample phases. Not for the real-time
/// path: files are converted once, when they are opened.
public enum Resampler {
    /// Interleaved samples of any channel count and rate to mono at `outputRate`.
    public static func convert(
        _ interleaved: [Int16], channels: Int, from inputRate: Int, to outputRate: Int
    )
        -> [Int16]
    {
        let mono = downmix(interleaved, channels: channels)
        return resample(mono, from: inputRate, to: outputRate).map { WAVFile.quantise(Double($0)) }
    }

    /// The mean of each frame's channels, full scale ±1.
    static func downmix(_ interleaved: [Int16], channels: Int) -> [Float] {
        guard channels > 0 else { return [] }
        let frames = interleaved.count / channels
        let scale = 1 / (32767 * Float(channels))
        return interleaved.withUnsafeBufferPointer { input in
            (0..<frames).map { frame in
                var sum = 0
                for channel in 0..<channels { sum += Int(input[frame * channels + channel]) }
                return Float(sum) * scale
            }
        }
    }

    /// Resamples mono audio; the output has `count × outputRate / inputRate` samples (rounded down).
    static func resample(_ input: [Float], from inputRate: Int, to outputRate: Int) -> [Float] {
        guard inputRate > 0, outputRate > 0, !input.isEmpty else { return [] }
        guard inputRate != outputRate else { return input }
        let outputCount = input.count * outputRate / inputRate
        // The cutoff in cycles per input sample, and a kernel long enough for a sharp edge:
        // 24 zero crossings of the sinc either side, measured at the lower rate.
        let cutoff = 0.45 * Double(min(inputRate, outputRate)) / Double(inputRate)
        let halfWidth = Int((12 / cutoff).rounded(.up))
        let taps = 2 * halfWidth
        let phases = 256
        let table = kernel(cutoff: cutoff, halfWidth: halfWidth, phases: phases)
        return input.withUnsafeBufferPointer { x in
            table.withUnsafeBufferPointer { h in
                (0..<outputCount).map { n in
                    // The output instant in input samples, exactly: n × in / out.
                    let position = n * inputRate
                    var base = position / outputRate
                    var phase = ((position % outputRate) * phases + outputRate / 2) / outputRate
                    if phase == phases {
                        phase = 0
                        base += 1
                    }
                    // Taps run over input samples base - halfWidth + 1 … base + halfWidth.
                    let first = base - halfWidth + 1
                    let row = phase * taps
                    var sum: Float = 0
                    for tap in max(0, -first)..<min(taps, x.count - first) {
                        sum += x[first + tap] * h[row + tap]
                    }
                    return sum
                }
            }
        }
    }

    /// `phases` rows of `2 × halfWidth` taps: row p holds the kernel at offsets (j − p/phases) for
    /// j = −halfWidth + 1 … halfWidth, each row scaled to unity gain at DC.
    private static func kernel(cutoff: Double, halfWidth: Int, phases: Int) -> [Float] {
        let taps = 2 * halfWidth
        var table = [Float](repeating: 0, count: phases * taps)
        for phase in 0..<phases {
            let fraction = Double(phase) / Double(phases)
            var row = [Double](repeating: 0, count: taps)
            for tap in 0..<taps {
                let t = Double(tap - halfWidth + 1) - fraction
                let x = 2 * cutoff * t
                let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
                let w = (t / Double(halfWidth) + 1) / 2  // 0 … 1 across the window
                let blackman = 0.42 - 0.5 * cos(2 * Double.pi * w) + 0.08 * cos(4 * Double.pi * w)
                row[tap] = sinc * max(0, blackman)
            }
            let gain = row.reduce(0, +)
            for tap in 0..<taps { table[phase * taps + tap] = Float(row[tap] / gain) }
        }
        return table
    }
}
