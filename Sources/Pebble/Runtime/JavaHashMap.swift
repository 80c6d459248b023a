/// The iteration order of a `java.util.HashMap` with string keys, which Pebble uses for map literals.
///
/// A HashMap iterates its buckets in index order; a key's bucket is `(h ^ (h >>> 16)) & (capacity - 1)` with `h` Java's
/// `String.hashCode`, and the capacity doubles from 16 whenever the map is over 3/4 full. Resizing keeps the relative
/// order of keys that share a bucket, so the final order is by bucket, then by insertion.
enum JavaHashMap {
    static func ordered(_ pairs: [(String, PebbleValue)]) -> PebbleMap {
        var unique: [(String, PebbleValue)] = []
        var seen: [String: Int] = [:]
        for (key, value) in pairs {
            if let index = seen[key] {
                unique[index].1 = value
            } else {
                seen[key] = unique.count
                unique.append((key, value))
            }
        }
        var capacity = 16
        while Double(unique.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let sorted = unique.enumerated().sorted { lhs, rhs in
            let (a, b) = (bucket(lhs.element.0, capacity), bucket(rhs.element.0, capacity))
            return a != b ? a < b : lhs.offset < rhs.offset
        }
        return PebbleMap(sorted.map(\.element))
    }

    static func bucket(_ key: String, _ capacity: Int) -> Int {
        var hash: Int32 = 0
        for unit in key.utf16 { hash = hash &* 31 &+ Int32(unit) }
        let spread = UInt32(bitPattern: hash) ^ (UInt32(bitPattern: hash) >> 16)
        return Int(spread & UInt32(capacity - 1))
    }
}
