import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one command as a host process to its end, under its attempt's timeout and the execution's kill: the command's
/// process group gets SIGTERM, then SIGKILL after ``gracePeriod``. When the command ends, processes it left behind in its
/// group are stopped the same way, so an attempt never leaves orphans running.
///
/// Output is handed over in chunks as it arrives, on the calling thread; `idle` runs after every wait that read output
/// or timed out (at least every poll interval) and says whether the caller holds output it wants to write soon, which
/// shortens the next wait. The child's end wakes the runner at once (a pidfd beside the pipes), never a sleep.
struct ProcessRunner {
    /// What a command gets between SIGTERM and SIGKILL.
    var gracePeriod: Duration = .seconds(5)
    static let pollInterval: Duration = .milliseconds(100)
    /// The wait while the caller holds output: a quiet moment this long is when it writes it.
    static let quietInterval: Duration = .milliseconds(10)
    /// After the group is gone, how long output still held open by a process that left the group is read.
    static let drainLimit: Duration = .seconds(1)
    static let chunkSize = 64 * 1024

    /// A program and everything it starts with.
    struct Command {
        /// An absolute path.
        var executable: String
        var arguments: [String]
        var environment: [String: String]
        var directory: String
    }

    /// Why the runner stopped a command before it ended by itself.
    enum Stop: Equatable { case timedOut, killed }

    struct Outcome: Equatable {
        let status: ChildProcess.ExitStatus
        let stop: Stop?
    }

    /// Standard output is stream 0, standard error stream 1.
    typealias OutputHandler = (_ stream: Int, _ bytes: UnsafeRawBufferPointer) -> Void
    /// Returns whether output is waiting to be written.
    typealias IdleHandler = () -> Bool

    func run(_ command: Command, context: AttemptContext, output: OutputHandler, idle: IdleHandler) throws(ScriptError) -> Outcome {
        let child = try ChildProcess(
            executable: command.executable, arguments: command.arguments, environment: command.environment, directory: command.directory)
        var reader = Reader()
        var stop: Stop?
        var terminatedAt: ContinuousClock.Instant?
        var pause: Duration = .microseconds(50)
        var waiting = false

        while child.reapIfExited() == nil {
            let wake = reader.pollOnce(child, timeout: waiting ? Self.quietInterval : Self.pollInterval, output: output)
            if wake != .quiet {
                pause = .microseconds(50)
            } else if child.output.allSatisfy({ $0 == nil }), child.exitDescriptor == nil {
                // Both streams are closed but the child runs on, and without a pidfd its end wakes nobody: check back soon,
                // then less often.
                Thread.sleep(forTimeInterval: pause.seconds)
                pause = min(pause * 2, Self.pollInterval)
            }
            // A stream closing or the child ending is no pause in the output: the caller keeps its lines, and when the
            // child has ended they go with the attempt's end rather than in a commit of their own. A child that runs on
            // after closing its streams is caught by the next timed-out wait.
            if wake != .ended { waiting = idle() }
            if let terminatedAt {
                if ContinuousClock.now - terminatedAt >= gracePeriod { child.signalGroup(SIGKILL) }
            } else if context.isKilled() || context.timedOut {
                stop = context.timedOut ? .timedOut : .killed
                child.signalGroup(SIGTERM)
                terminatedAt = .now
            }
        }

        if stop != nil {
            child.signalGroup(SIGKILL)
        } else if child.groupHasLiveMembers() {
            // The command ended but left processes behind (`sleep 600 &`): they end with it.
            child.signalGroup(SIGTERM)
            let deadline = ContinuousClock.now + gracePeriod
            while child.groupHasLiveMembers(), ContinuousClock.now < deadline {
                if reader.pollOnce(child, timeout: .milliseconds(20), output: output) != .ended { _ = idle() }
            }
            child.signalGroup(SIGKILL)
        }
        let deadline = ContinuousClock.now + Self.drainLimit
        while child.output.contains(where: { $0 != nil }), ContinuousClock.now < deadline {
            if reader.pollOnce(child, timeout: min(Self.pollInterval, deadline - .now), output: output) != .ended { _ = idle() }
        }
        return Outcome(status: child.status ?? .exited(-1), stop: stop)
    }

    /// What ended one wait.
    enum Wake {
        /// The timeout passed with nothing to read (or there was nothing to wait on).
        case quiet
        /// Output was read.
        case output
        /// A stream reached its end or the child ended, and nothing was read.
        case ended
    }

    /// Reads whatever the child's streams have, into one reused buffer.
    private struct Reader {
        var buffer = [UInt8](repeating: 0, count: ProcessRunner.chunkSize)

        /// Waits up to `timeout` for output or the child's end, and reads one chunk from each ready stream; closes
        /// streams at their end.
        @discardableResult
        mutating func pollOnce(_ child: ChildProcess, timeout: Duration, output: OutputHandler) -> Wake {
            var watched: [(stream: Int, fd: Int32)] = []
            for (stream, fd) in child.output.enumerated() {
                if let fd { watched.append((stream, fd)) }
            }
            guard !watched.isEmpty || child.exitDescriptor != nil else { return .quiet }
            var fds = watched.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            if let exit = child.exitDescriptor { fds.append(pollfd(fd: exit, events: Int16(POLLIN), revents: 0)) }
            let milliseconds = Int32(max(0, min(Int64(Int32.max), timeout.milliseconds)))
            guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return .quiet }
            var wake = Wake.quiet
            for (index, entry) in watched.enumerated() where fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffer.withUnsafeBytes { output(entry.stream, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    wake = .output
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    child.closeOutput(entry.stream)
                    if wake == .quiet { wake = .ended }
                }
            }
            if wake == .quiet, fds.count > watched.count, fds[watched.count].revents != 0 { wake = .ended }
            return wake
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
