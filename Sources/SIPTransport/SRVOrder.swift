/// RFC 2782's order of use for one SRV answer: lowest priority first; within a priority, a
/// weighted random draw without replacement, each remaining record chosen with probability
/// weight / (sum of remaining weights), weight-0 records only rarely first. An answer whose only
/// record has target "." says the service is decidedly not offered: nothing to try.
public enum SRVOrder {
    public static func ordered(_ records: [SRVRecord], using random: inout some RandomNumberGenerator) -> [SRVRecord] {
        if records.count == 1, records[0].target == "." || records[0].target.isEmpty { return [] }
        let usable = records.filter { $0.target != "." && !$0.target.isEmpty }
        var result: [SRVRecord] = []
        for priority in Set(usable.map(\.priority)).sorted() {
            // Weight-0 records first, so the running sums give them a chance only at 0.
            var remaining = usable.filter { $0.priority == priority }.sorted { $0.weight == 0 && $1.weight != 0 }
            while !remaining.isEmpty {
                let total = remaining.reduce(0) { $0 + $1.weight }
                let draw = Int.random(in: 0...total, using: &random)
                var sum = 0
                let index =
                    remaining.firstIndex { record in
                        sum += record.weight
                        return sum >= draw
                    } ?? remaining.count - 1
                result.append(remaining.remove(at: index))
            }
        }
        return result
    }
}
