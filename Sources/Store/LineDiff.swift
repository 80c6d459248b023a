/// A unified-style line diff (`-` removed, `+` added, ` ` context, `@@` hunk headers) of two texts, bounded in size so
/// that a flow rewritten from top to bottom cannot make one audit event huge.
package enum LineDiff {
    /// Lines of context around each change, as `diff -u`.
    package static let context = 3
    /// Beyond this many cells the middle of the two texts is shown as removed then added, instead of aligned line by line.
    static let maximumTableCells = 4_000_000

    /// The diff of `old` and `new` headed `--- oldName` / `+++ newName`, at most `maximumLines` lines and `maximumBytes`
    /// UTF-8 bytes; what is cut is announced on a last line. Empty when the texts have the same lines.
    package static func unified(old: String, new: String, oldName: String, newName: String, maximumLines: Int = 200, maximumBytes: Int = 16_000)
        -> String
    {
        let before = lines(old)
        let after = lines(new)
        let edits = script(before, after)
        guard edits.contains(where: { $0.kind != .same }) else { return "" }
        var output = ["--- \(oldName)", "+++ \(newName)"] + hunks(edits)
        var bytes = 0
        for (index, line) in output.enumerated() {
            bytes += line.utf8.count + 1
            if index >= maximumLines || bytes > maximumBytes {
                let cut = output.count - index
                output.removeSubrange(index...)
                output.append("… \(cut) more line\(cut == 1 ? "" : "s") of the diff left out")
                break
            }
        }
        return output.joined(separator: "\n")
    }

    struct Edit: Equatable {
        enum Kind { case same, removed, added }
        let kind: Kind
        let text: String
        /// 1-based line numbers in the old and the new text where this edit stands.
        let oldLine: Int
        let newLine: Int
    }

    static func lines(_ text: String) -> [Substring] {
        guard !text.isEmpty else { return [] }
        var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// The edit script: common prefix and suffix first, then a longest-common-subsequence table over what is left.
    static func script(_ old: [Substring], _ new: [Substring]) -> [Edit] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])

        var edits: [Edit] = []
        var oldLine = 1
        var newLine = 1
        func emit(_ kind: Edit.Kind, _ text: Substring) {
            edits.append(Edit(kind: kind, text: String(text), oldLine: oldLine, newLine: newLine))
            if kind != .added { oldLine += 1 }
            if kind != .removed { newLine += 1 }
        }
        for line in old[..<prefix] { emit(.same, line) }
        if a.count * b.count > maximumTableCells || a.isEmpty || b.isEmpty {
            for line in a { emit(.removed, line) }
            for line in b { emit(.added, line) }
        } else {
            // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
            let width = b.count + 1
            var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lengths[i * width + j] =
                        a[i] == b[j] ? lengths[(i + 1) * width + j + 1] + 1 : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < a.count || j < b.count {
                if i < a.count, j < b.count, a[i] == b[j] {
                    emit(.same, a[i])
                    i += 1
                    j += 1
                } else if i < a.count, j == b.count || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                    // Removals before additions, as `diff -u` shows a replaced line.
                    emit(.removed, a[i])
                    i += 1
                } else {
                    emit(.added, b[j])
                    j += 1
                }
            }
        }
        for line in old[(old.count - suffix)...] { emit(.same, line) }
        return edits
    }

    /// Groups changes with `context` lines around them into `@@ -l,n +l,n @@` hunks.
    static func hunks(_ edits: [Edit]) -> [String] {
        let changed = edits.indices.filter { edits[$0].kind != .same }
        var ranges: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(edits.count - 1, index + context)
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        var output: [String] = []
        for range in ranges {
            let slice = edits[range]
            let oldCount = slice.filter { $0.kind != .added }.count
            let newCount = slice.filter { $0.kind != .removed }.count
            let first = edits[range.lowerBound]
            let oldStart = oldCount == 0 ? first.oldLine - 1 : first.oldLine
            let newStart = newCount == 0 ? first.newLine - 1 : first.newLine
            output.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            for edit in slice {
                switch edit.kind {
                case .same: output.append(" " + edit.text)
                case .removed: output.append("-" + edit.text)
                case .added: output.append("+" + edit.text)
                }
            }
        }
        return output
    }
}
