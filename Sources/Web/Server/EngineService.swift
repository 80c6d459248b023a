import Engine
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the engine's worker (recovery, timers, triggers, queued executions) beside the web server, on a thread of its
/// own because tasks block. On shutdown it stops taking new work and waits up to `shutdownGrace` for what is running;
/// whatever is still running then is left to the next start's recovery, which its lease makes safe.
final class EngineService: Service, Sendable {
    let worker: Worker
    let shutdownGrace: Duration
    let readiness: Readiness
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(worker: Worker, readiness: Readiness, shutdownGrace: Duration = .seconds(10)) {
        self.worker = worker
        self.readiness = readiness
        self.shutdownGrace = shutdownGrace
    }

    func run() async throws {
        let started = AsyncStream.makeStream(of: Void.self)
        Thread.detachNewThread { [self] in
            do {
                try worker.recover()
                readiness.markEngineStarted()
                started.continuation.finish()
                try worker.run(shouldStop: { self.stopping.load(ordering: .relaxed) })
            } catch {
                worker.report("the engine stopped: \(error)")
                started.continuation.finish()
            }
            finished.store(true, ordering: .releasing)
        }
        for await _ in started.stream {}
        try? await gracefulShutdown()
        stopping.store(true, ordering: .relaxed)
        let deadline = ContinuousClock.now + shutdownGrace
        while !finished.load(ordering: .acquiring), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if !finished.load(ordering: .acquiring) {
            worker.report("stopping with executions still running; the next start recovers them")
        }
    }
}

/// What `/readyz` reports: ready once the flows are loaded and the engine has recovered and started.
final class Readiness: Sendable {
    private let engineStarted = Atomic<Bool>(false)

    func markEngineStarted() { engineStarted.store(true, ordering: .releasing) }

    var isReady: Bool { engineStarted.load(ordering: .acquiring) }
}
