import Foundation

/// Starts `body` on a thread of its own. Work that blocks (a task's process, a lock, a wait for branches) must not run
/// on Dispatch's global queues: on Linux they do not add threads when one blocks, so a few blocked drivers would starve
/// everything else, and drivers waiting for their own branches would deadlock.
enum DedicatedThread {
    /// As the main thread's: expressions and flows nest deeply enough that the 512 KiB default is not safe.
    static let stackSize = 8 << 20

    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }
}
