#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts a stream of bytes into lines, keeping at most a bounded prefix of each: a 10 MB line costs no more memory
/// than its first ``lineLimit`` bytes. A line that starts with `::{` (Kestra's output marker) may grow to
/// ``markerLimit``, so large `::{"outputs":…}::` values still parse.
struct LineSplitter {
    let lineLimit: Int
    let markerLimit: Int

    /// The kept bytes of the line in progress, and how many bytes it has in all.
    private var partial: [UInt8] = []
    private var partialLength = 0

    init(lineLimit: Int, markerLimit: Int) {
        self.lineLimit = lineLimit
        self.markerLimit = markerLimit
    }

    /// One line without its line break (and without a `\r` before it): the kept bytes, and how many bytes past them
    /// were dropped (0 for a whole line).
    typealias LineHandler = (_ kept: UnsafeRawBufferPointer, _ dropped: Int) -> Void

    /// Feeds `chunk`; `body` gets each line the chunk completes.
    mutating func split(_ chunk: UnsafeRawBufferPointer, _ body: LineHandler) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
                append(UnsafeRawBufferPointer(rebasing: chunk[start...]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            let segment = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
            if partialLength == 0, segment.count <= lineLimit || segment.count <= limit(startingWith: segment) {
                body(Self.withoutCarriageReturn(segment), 0)
            } else {
                append(segment)
                emitPartial(body)
            }
            start = end + 1
        }
    }

    /// Ends the stream: a last line without a line break is still a line.
    mutating func finish(_ body: LineHandler) {
        if partialLength > 0 { emitPartial(body) }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let limit = partial.isEmpty ? limit(startingWith: bytes) : partial.withUnsafeBytes { self.limit(startingWith: $0) }
        let room = max(0, limit - partial.count)
        if room > 0 { partial.append(contentsOf: bytes.prefix(room)) }
        partialLength += bytes.count
    }

    private mutating func emitPartial(_ body: LineHandler) {
        let dropped = partialLength - partial.count
        partial.withUnsafeBytes { body(dropped == 0 ? Self.withoutCarriageReturn($0) : $0, dropped) }
        partial.removeAll(keepingCapacity: partial.capacity <= 64 * 1024)
        partialLength = 0
    }

    private func limit(startingWith bytes: UnsafeRawBufferPointer) -> Int {
        Self.isMarker(bytes) ? markerLimit : lineLimit
    }

    /// Whether a line starts with `::{`, as Kestra's output lines do.
    static func isMarker(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x3A && bytes[1] == 0x3A && bytes[2] == 0x7B
    }

    private static func withoutCarriageReturn(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        line.last == 0x0D ? UnsafeRawBufferPointer(rebasing: line.dropLast()) : line
    }
}
