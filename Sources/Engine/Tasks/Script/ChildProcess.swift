import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn` in a process group of its own: standard input reads `/dev/null`, standard
/// output and error go to two pipes whose read ends this object owns. The group lets a timeout or a kill reach
/// everything the command started, grandchildren included.
///
/// Arguments are an argv array handed to the kernel as they are; nothing is pasted into a shell string here.
final class ChildProcess {
    let pid: pid_t
    /// The read ends of the child's standard output and error, non-blocking; nil once closed.
    private(set) var output: [Int32?]
    private(set) var status: ExitStatus?
    /// A descriptor that polls readable once the child has ended (Linux 5.3+), so its end wakes the runner as its
    /// output does; nil where pidfds are missing, and the runner checks back instead.
    private(set) var exitDescriptor: Int32?

    /// How a child ended.
    enum ExitStatus: Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The shell's convention: the exit status, or 128 + the signal number.
        var code: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }
    }

    /// Starts `executable` (an absolute path) with `arguments` (argv[1...]) and exactly `environment`, in `directory`.
    init(executable: String, arguments: [String], environment: [String: String], directory: String) throws(ScriptError) {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard Spawn.makePipe(&outputPipe) == 0, Spawn.makePipe(&errorPipe) == 0 else {
            let reason = String(cString: strerror(errno))
            for fd in outputPipe + errorPipe where fd >= 0 { close(fd) }
            throw .cannotStart(executable: executable, reason: reason)
        }
        defer {
            // The child has its own copies of the write ends; holding ours would keep the pipes open for ever.
            close(outputPipe[1])
            close(errorPipe[1])
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        // Descriptors the server has open (the database, other tasks' pipes) must not leak into the command.
        Spawn.closeFrom(&actions, 3)
        var argv = [executable] + arguments
        if !Spawn.changeDirectory(&actions, directory) {
            // Without posix_spawn_file_actions_addchdir_np, a shell changes directory and execs the command; the directory
            // and the command stay separate arguments.
            argv = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory] + argv
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments + cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else {
            close(outputPipe[0])
            close(errorPipe[0])
            throw .cannotStart(executable: executable, reason: String(cString: strerror(result)))
        }
        self.pid = pid
        for fd in [outputPipe[0], errorPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        output = [outputPipe[0], errorPipe[0]]
        exitDescriptor = Spawn.openPidDescriptor(pid)
    }

    deinit {
        for fd in output.compactMap({ $0 }) + [exitDescriptor].compactMap({ $0 }) { close(fd) }
    }

    /// Closes the read end of one stream (0 standard output, 1 standard error).
    func closeOutput(_ stream: Int) {
        if let fd = output[stream] { close(fd) }
        output[stream] = nil
    }

    /// Sends `signal` to every process of the child's group; nothing happens when the group is already empty.
    func signalGroup(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Collects the child's exit status if it has ended, without waiting.
    @discardableResult
    func reapIfExited() -> ExitStatus? {
        if let status { return status }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid {
            status = (raw & 0x7f) == 0 ? .exited((raw >> 8) & 0xff) : .signalled(raw & 0x7f)
            if let exitDescriptor { close(exitDescriptor) }
            exitDescriptor = nil
        } else if result < 0, errno == ECHILD {
            // Someone else reaped it (SIGCHLD ignored): it has ended, how is unknown.
            status = .exited(-1)
        }
        return status
    }

    /// Whether any process of the child's group is still alive; zombies waiting for their parent to reap them do not
    /// count. Call after the child itself has been reaped.
    func groupHasLiveMembers() -> Bool {
        guard kill(-pid, 0) == 0 else { return false }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let group = Int32(fields[2]), group == pid else { continue }
            if fields[0] != "Z" && fields[0] != "X" { return true }
        }
        return false
    }
}

/// glibc functions the Swift module does not import (they need `_GNU_SOURCE`), looked up once at run time.
private enum Spawn {
    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias PidOpen = @convention(c) (pid_t, UInt32) -> Int32

    private static let addChangeDirectory = symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChangeDirectory.self) }
    private static let addCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private static let pipe2 = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let pidOpen = symbol("pidfd_open").map { unsafeBitCast($0, to: PidOpen.self) }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(dlopen(nil, RTLD_NOW), name)
    }

    /// A pipe whose ends close on exec, made atomically where `pipe2` exists so a command started by another thread
    /// in between never inherits it.
    static func makePipe(_ fds: inout [Int32]) -> Int32 {
        if let pipe2 { return pipe2(&fds, O_CLOEXEC) }
        guard pipe(&fds) == 0 else { return -1 }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    /// A pidfd for a child not yet reaped (glibc 2.36+ and Linux 5.3+), close-on-exec as pidfds always are; nil when
    /// either is missing.
    static func openPidDescriptor(_ pid: pid_t) -> Int32? {
        guard let pidOpen else { return nil }
        let fd = pidOpen(pid, 0)
        return fd >= 0 ? fd : nil
    }

    static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) -> Bool {
        guard let addChangeDirectory else { return false }
        return addChangeDirectory(&actions, directory) == 0
    }

    static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        _ = addCloseFrom?(&actions, lowest)
    }
}
