import Pebble

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A command's standard output and error turned into the execution log as they arrive: stdout lines at INFO, stderr
/// lines at ERROR, written in batches through the attempt (masked there). Kestra's `::{"outputs":{…}}::` lines become
/// the task's `vars` instead of log lines.
///
/// Memory and the log stay bounded whatever the command prints: lines are cut at ``Limits/lineBytes``, and past
/// ``Limits/storedLines`` lines or ``Limits/storedBytes`` bytes an attempt's lines are only counted, except the last
/// ``Limits/tailLines`` of each stream, which are stored at the end after a line saying how many were left out.
final class CommandOutput {
    struct Limits {
        var lineBytes = 64 * 1024
        var markerLineBytes = 1024 * 1024
        var storedLines = 50_000
        var storedBytes = 32 * 1024 * 1024
        var tailLines = 200
        var batchLines = 200
        var batchInterval: Duration = .milliseconds(100)
    }

    static let levels = ["INFO", "ERROR"]

    let limits: Limits
    private let context: AttemptContext
    private var splitters: [LineSplitter]
    private var pending: [(level: String, line: String)] = []
    private var lastFlush = ContinuousClock.now
    private var receivedSinceTick = false
    private var storedLines = 0
    private var storedBytes = 0
    private var droppedLines = 0
    private var droppedBytes = 0
    /// The last dropped lines of each stream, in a ring of reused buffers.
    private var tails: [Ring]
    /// What `::{"outputs":…}::` lines set, later lines overriding earlier keys.
    private(set) var vars = PebbleMap()

    init(context: AttemptContext, limits: Limits = Limits()) {
        self.context = context
        self.limits = limits
        splitters = Array(repeating: LineSplitter(lineLimit: limits.lineBytes, markerLimit: limits.markerLineBytes), count: 2)
        tails = Array(repeating: Ring(capacity: limits.tailLines), count: 2)
    }

    /// Takes a chunk of stream 0 (stdout) or 1 (stderr).
    func receive(_ stream: Int, _ bytes: UnsafeRawBufferPointer) {
        receivedSinceTick = true
        splitters[stream].split(bytes) { line, dropped in take(line, dropped: dropped, stream: stream) }
        if pending.count >= limits.batchLines { flush() }
    }

    /// Writes the waiting lines when the command has gone quiet since the last call or the batch interval has passed;
    /// says whether lines are still waiting.
    func tick() -> Bool {
        if !pending.isEmpty, !receivedSinceTick || ContinuousClock.now - lastFlush >= limits.batchInterval { flush() }
        receivedSinceTick = false
        return !pending.isEmpty
    }

    /// Ends both streams and queues the tails of an oversized output; the lines still waiting stay for ``takePending()``
    /// or the next ``flush()``.
    func finish() {
        for stream in 0..<2 { splitters[stream].finish { line, dropped in take(line, dropped: dropped, stream: stream) } }
        if droppedLines > 0 {
            let kept = tails[0].count + tails[1].count
            pending.append(
                (
                    "WARN",
                    "the command printed more than the log keeps for one attempt (\(limits.storedLines) lines or "
                        + "\(limits.storedBytes / 1024 / 1024) MiB): \(droppedLines - kept) lines (\(droppedBytes) bytes) were not stored; "
                        + "the last \(kept) follow"
                ))
            for stream in 0..<2 {
                for line in tails[stream].lines { pending.append((Self.levels[stream], line)) }
            }
        }
    }

    /// Hands over the lines not yet written, so they ride along with the attempt's end in its commit instead of taking
    /// a commit of their own once the command has ended.
    func takePending() -> [(level: String, line: String)] {
        defer { pending.removeAll() }
        return pending
    }

    /// Adds a line of the task's own to the log, in order with the command's lines.
    func note(_ level: String, _ line: String) {
        pending.append((level, line))
    }

    func flush() {
        guard !pending.isEmpty else { return }
        context.emit(pending)
        pending.removeAll(keepingCapacity: true)
        lastFlush = .now
    }

    // MARK: - Lines

    private func take(_ line: UnsafeRawBufferPointer, dropped: Int, stream: Int) {
        if LineSplitter.isMarker(line) {
            if let problem = parseMarker(line, truncated: dropped > 0) { pending.append(("WARN", "Invalid outputs '\(problem)'")) } else { return }
        }
        if storedLines < limits.storedLines, storedBytes < limits.storedBytes {
            storedLines += 1
            storedBytes += line.count
            pending.append((Self.levels[stream], Self.text(line, dropped: dropped)))
        } else {
            droppedLines += 1
            droppedBytes += line.count + dropped
            tails[stream].add(line, dropped: dropped)
        }
    }

    /// Reads a `::{…}::` line into ``vars``; returns what is wrong with it, or nil when it was read.
    private func parseMarker(_ line: UnsafeRawBufferPointer, truncated: Bool) -> String? {
        guard !truncated else { return "the line is longer than \(limits.markerLineBytes) bytes" }
        guard line.count >= 5, line.suffix(3).elementsEqual([0x7D, 0x3A, 0x3A]) else { return "the line does not end with }::" }
        let json = String(decoding: line[2..<(line.count - 2)], as: UTF8.self)
        do {
            guard case .map(let object) = try PebbleValue.fromJSON(json) else { return "expected a JSON object" }
            if case .map(let outputs)? = object["outputs"] {
                for (key, value) in outputs.pairs { vars[key] = value }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A line as text: invalid UTF-8 replaced, NUL bytes replaced (they end strings in too many places), and a cut line
    /// marked as such.
    static func text(_ line: UnsafeRawBufferPointer, dropped: Int) -> String {
        var bytes = line
        if dropped > 0 {
            // Cut before a character the limit split, so the mark is not preceded by a replacement character.
            var lead = bytes.count - 1
            while lead > 0, bytes.count - 1 - lead < 3, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
            if lead >= 0 {
                let first = bytes[lead]
                let length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
                if lead + length > bytes.count { bytes = UnsafeRawBufferPointer(rebasing: bytes[0..<lead]) }
            }
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil { text = text.replacingOccurrences(of: "\0", with: "\u{FFFD}") }
        if let base = bytes.baseAddress, memchr(base, 0x1B, bytes.count) != nil { text = withoutTerminalCodes(text) }
        if dropped > 0 { text += "… [line cut: \(line.count + dropped) bytes in all]" }
        return text
    }

    /// The text without terminal control sequences (colours, bold, cursor moves: `ESC [ … final`, and `ESC`
    /// sequences such as `ESC ( B`): Terraform and many tools colour their output, and the codes would show as `[0m[1m` on the execution
    /// page, in e-mails and in the audit of what ran. A lone ESC at the end is dropped too.
    static func withoutTerminalCodes(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x1B else {
                kept.append(bytes[index])
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            if bytes[index] == UInt8(ascii: "[") {
                index += 1
                while index < bytes.count, (0x20...0x3F).contains(bytes[index]) { index += 1 }
                if index < bytes.count, (0x40...0x7E).contains(bytes[index]) { index += 1 }
            } else {
                while index < bytes.count, (0x20...0x2F).contains(bytes[index]) { index += 1 }
                if index < bytes.count, (0x30...0x7E).contains(bytes[index]) { index += 1 }
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// The last few lines of a stream, in buffers reused from line to line.
    private struct Ring {
        private var slots: [(bytes: [UInt8], dropped: Int)]
        private var next = 0
        private(set) var count = 0

        init(capacity: Int) {
            slots = Array(repeating: ([], 0), count: max(capacity, 1))
        }

        mutating func add(_ line: UnsafeRawBufferPointer, dropped: Int) {
            slots[next].bytes.removeAll(keepingCapacity: true)
            slots[next].bytes.append(contentsOf: line)
            slots[next].dropped = dropped
            next = (next + 1) % slots.count
            count = min(count + 1, slots.count)
        }

        var lines: [String] {
            (0..<count).map { offset in
                let slot = slots[(next - count + offset + slots.count) % slots.count]
                return slot.bytes.withUnsafeBytes { CommandOutput.text($0, dropped: slot.dropped) }
            }
        }
    }
}
