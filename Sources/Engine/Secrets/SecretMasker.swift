import Foundation
import Pebble

/// Hides secret values in text Gatehouse shows or stores (task logs, outputs, rendered properties) by replacing each
/// occurrence with `******`.
///
/// Each value is hidden as written, in base64 (padded and unpadded, for scripts that encode it before printing) and,
/// for a multi-line value such as a PEM key, line by line, since output usually arrives a line at a time. Values shorter than ``minimumLength`` characters are not masked: a secret like `on` or `1` would otherwise
/// blot out every occurrence of those letters in every log, which hides more than it protects. Occurrences that
/// overlap or touch, of one value or of several, are hidden together as one `******`, so no tail of a secret is left
/// showing and the mask does not tell how many secrets stood there.
package struct SecretMasker: Sendable {
    package static let replacement = "******"
    package static let minimumLength = 4

    /// The byte strings to hide, longest first, without duplicates.
    private let needles: [[UInt8]]

    package init(values: [String]) {
        var forms: Set<String> = []
        for value in values where value.count >= Self.minimumLength {
            forms.insert(value)
            // `echo "$TOKEN" | base64` encodes the newline too, which changes the last characters.
            for bytes in [Data(value.utf8), Data((value + "\n").utf8)] {
                let encoded = bytes.base64EncodedString()
                forms.insert(encoded)
                forms.insert(String(encoded.prefix { $0 != "=" }))
            }
            if value.contains(where: \.isNewline) {
                for line in value.split(whereSeparator: \.isNewline) where line.count >= Self.minimumLength { forms.insert(String(line)) }
            }
        }
        needles = forms.map { Array($0.utf8) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// This masker, also hiding `values`: the SECRET inputs someone typed into an execution's form.
    package func adding(_ values: [String]) -> SecretMasker {
        SecretMasker(needles: needles, adding: SecretMasker(values: values).needles)
    }

    private init(needles: [[UInt8]], adding more: [[UInt8]]) {
        var seen = Set(needles)
        self.needles = (needles + more.filter { seen.insert($0).inserted })
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    package var isEmpty: Bool { needles.isEmpty }

    /// `text` with every occurrence of every secret replaced by `******`.
    package func mask(_ text: String) -> String {
        guard !needles.isEmpty, !text.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let hidden = hiddenRanges(in: bytes)
        guard !hidden.isEmpty else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var position = 0
        for range in hidden {
            result += bytes[position..<range.lowerBound]
            result += Self.replacement.utf8
            position = range.upperBound
        }
        result += bytes[position...]
        // Needles are whole UTF-8 strings, so every cut falls between characters and the bytes stay valid UTF-8.
        return String(decoding: result, as: UTF8.self)
    }

    /// `value` with every string in it masked, at any depth; map keys too, since a ForEach over a secret keys its
    /// outputs by it. Entries whose keys mask to the same text merge, the later one winning: losing an entry from a
    /// display is better than showing a secret.
    package func mask(_ value: PebbleValue) -> PebbleValue {
        guard !needles.isEmpty else { return value }
        switch value {
        case .string(let text):
            return .string(mask(text))
        case .list(let items):
            return .list(items.map(mask))
        case .map(let map):
            return .map(PebbleMap(map.pairs.map { (mask($0.key), mask($0.value)) }))
        case .null, .bool, .int, .double:
            return value
        }
    }

    /// Every byte range some needle covers, with overlapping and touching ranges merged, in order.
    private func hiddenRanges(in bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { haystack in
            for needle in needles where needle.count <= haystack.count {
                let first = needle[0]
                var start = 0
                let last = haystack.count - needle.count
                while start <= last {
                    if haystack[start] == first, Self.matches(needle, in: haystack, at: start) {
                        ranges.append(start..<(start + needle.count))
                    }
                    start += 1
                }
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in ranges {
            if let previous = merged.last, range.lowerBound <= previous.upperBound {
                merged[merged.count - 1] = previous.lowerBound..<max(previous.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    private static func matches(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for offset in 1..<needle.count where haystack[start + offset] != needle[offset] { return false }
        return true
    }
}
