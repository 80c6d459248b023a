import Dispatch

/// A task executor on Dispatch threads, outside Swift's cooperative pool, for outbound I/O (HTTP, SMTP) started by a
/// thread that blocks while it waits: the engine's attempts block their worker thread, and if the work needed a
/// cooperative thread, callers blocking those would starve it.
package final class OutboundIOExecutor: TaskExecutor {
    package static let shared = OutboundIOExecutor()
    private let queue = DispatchQueue(label: "gatehouse.outbound-io", attributes: .concurrent)

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
