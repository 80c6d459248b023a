import Synchronization

/// Rendered Markdown by its source text, bounded; emptied when full, since flows reuse a small set of descriptions.
final class RenderedMarkdownCache: Sendable {
    private let storage = Mutex<[String: String]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(markdown: String) -> String? {
        get { storage.withLock { $0[markdown] } }
        set {
            storage.withLock { table in
                if table.count >= capacity { table.removeAll(keepingCapacity: true) }
                table[markdown] = newValue
            }
        }
    }
}
