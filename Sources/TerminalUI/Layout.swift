/// How much of a split a part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (less if the area runs out).
    case fixed(Int)
    /// `p` percent of the area, rounded down.
    case percent(Int)
    /// An equal share of what the other constraints leave.
    case fill
}

/// Splits a rectangle into panes along one axis, in order, so that layouts are computed and not
/// hard-coded, and re-computed on every resize.
public enum Layout {
    /// Stacks parts top to bottom.
    public static func vertical(_ area: Rect, _ constraints: [Constraint]) -> [Rect] {
        sizes(area.height, constraints).reduce(into: (rects: [Rect](), offset: area.y)) { acc, size in
            acc.rects.append(Rect(x: area.x, y: acc.offset, width: area.width, height: size))
            acc.offset += size
        }.rects
    }

    /// Places parts left to right.
    public static func horizontal(_ area: Rect, _ constraints: [Constraint]) -> [Rect] {
        sizes(area.width, constraints).reduce(into: (rects: [Rect](), offset: area.x)) { acc, size in
            acc.rects.append(Rect(x: acc.offset, y: area.y, width: size, height: area.height))
            acc.offset += size
        }.rects
    }

    /// The length of each part. Fixed and percent parts are served in order while room remains; the rest
    /// goes to the `.fill` parts (the first ones get the odd cells) or, without any, to the last percent
    /// part so that rounding never leaves a gap. With only fixed parts the leftover stays unused.
    static func sizes(_ total: Int, _ constraints: [Constraint]) -> [Int] {
        var remaining = max(0, total)
        var sizes = constraints.map { constraint -> Int in
            let wanted: Int
            switch constraint {
            case .fixed(let n): wanted = max(0, n)
            case .percent(let p): wanted = max(0, total) * min(max(0, p), 100) / 100
            case .fill: return 0
            }
            let size = min(wanted, remaining)
            remaining -= size
            return size
        }
        let fills = constraints.indices.filter { constraints[$0] == .fill }
        if !fills.isEmpty {
            for (n, index) in fills.enumerated() {
                sizes[index] = remaining / fills.count + (n < remaining % fills.count ? 1 : 0)
            }
        } else if let last = constraints.lastIndex(where: { if case .percent = $0 { true } else { false } }) {
            sizes[last] += remaining
        }
        return sizes
    }
}
