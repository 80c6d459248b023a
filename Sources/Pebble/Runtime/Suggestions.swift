/// "Did you mean" hints for unknown names: filters, functions, tests and tags here, properties in flow validation.
package enum Suggestions {
    /// The closest candidate, if it is a plausible typo of `name`. `limit` overrides the allowed number of edits,
    /// which otherwise grows with the length of the names (one slip for names of four letters or fewer).
    package static func closest(to name: String, among candidates: [String], limit fixedLimit: Int? = nil) -> String? {
        let lowered = name.lowercased()
        var best: (String, Int)?
        for candidate in Set(candidates) {
            let distance = editDistance(lowered, candidate.lowercased())
            if best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        let shortest = min(name.count, candidate.count)
        return distance <= (fixedLimit ?? (shortest <= 4 ? 1 : max(2, shortest / 3))) ? candidate : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost one,
    /// so `esle` is one slip from `else`.
    package static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = Swift.min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
