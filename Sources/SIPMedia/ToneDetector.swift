#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Measuring audio: the Goertzel algorithm for the strength of single frequencies (tones,
/// call-progress signals) and normalised cross-correlation for finding a known signal, and its
/// delay, in a recording.
public enum Goertzel {
    /// The power of `frequency` in `samples`, normalised so that a sine of peak amplitude A (as a
    /// fraction of full scale) at exactly that frequency measures about A². Any frequency may be
    /// asked for, not only the bins of an FFT of this length; the resolution is about
    /// sampleRate / count hertz. Empty input measures 0.
    public static func power(_ samples: [Int16], frequency: Double, sampleRate: Double = 8000) -> Double {
        guard !samples.isEmpty, sampleRate > 0 else { return 0 }
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var s1 = 0.0
        var s2 = 0.0
        for sample in samples {
            let s0 = Double(sample) / 32768 + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let magnitude = max(0, s1 * s1 + s2 * s2 - coefficient * s1 * s2)
        let scale = 2 / Double(samples.count)
        return magnitude * scale * scale
    }

    /// The strongest of `candidates` in `samples`, or nil when the input is empty or silent or
    /// no candidate holds at least a quarter of the signal's power (noise, speech, or a tone
    /// that is not among the candidates).
    public static func dominantFrequency(
        _ samples: [Int16], candidates: [Double], sampleRate: Double = 8000
    )
        -> Double?
    {
        guard !samples.isEmpty else { return nil }
        // A sine of peak A has mean square A²/2, and power() reports it as A².
        let total = 2 * samples.reduce(0.0) { $0 + (Double($1) / 32768) * (Double($1) / 32768) } / Double(samples.count)
        guard total > 0 else { return nil }
        var best: (frequency: Double, power: Double)?
        for frequency in candidates {
            let measured = power(samples, frequency: frequency, sampleRate: sampleRate)
            if measured > best?.power ?? -1 { best = (frequency, measured) }
        }
        guard let best, best.power >= total / 4 else { return nil }
        return best.frequency
    }

    /// Where `b` best matches `a`: the lag in −maxLag … maxLag for which b[i + lag] ≈ a[i] (so a
    /// positive lag means `b` is late), and the normalised correlation there, −1 … 1, computed
    /// over the samples the two share at that lag. Made for a recording against the source it was
    /// made from: level changes, G.711 quantisation and added noise lower the coefficient but do
    /// not move the peak. Lags with fewer than a quarter of the shorter signal in common are not
    /// considered, so that a few chance samples at the edges cannot win. (0, 0) when nothing can
    /// be compared.
    public static func correlation(_ a: [Int16], _ b: [Int16], maxLag: Int) -> (lag: Int, coefficient: Double) {
        let minimumOverlap = max(1, min(a.count, b.count) / 4)
        var best: (lag: Int, coefficient: Double) = (0, 0)
        var found = false
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for lag in -max(0, maxLag)...max(0, maxLag) {
                    // Pairs a[i], b[i + lag] with both indices in range.
                    let start = max(0, -lag)
                    let end = min(a.count, b.count - lag)
                    guard end - start >= minimumOverlap else { continue }
                    var product = 0.0
                    var energyA = 0.0
                    var energyB = 0.0
                    for i in start..<end {
                        let x = Double(a[i])
                        let y = Double(b[i + lag])
                        product += x * y
                        energyA += x * x
                        energyB += y * y
                    }
                    guard energyA > 0, energyB > 0 else { continue }
                    let coefficient = product / (energyA * energyB).squareRoot()
                    if !found || coefficient > best.coefficient {
                        best = (lag, coefficient)
                        found = true
                    }
                }
            }
        }
        return best
    }
}
