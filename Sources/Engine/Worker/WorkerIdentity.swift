import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who holds an execution's lease: this host, this process, and a nonce so a reused process id is never mistaken for
/// the process that died. Written `host/pid/nonce`.
package struct WorkerIdentity: Sendable, Equatable {
    package let host: String
    package let pid: Int32
    package let nonce: String

    package var id: String { "\(host)/\(pid)/\(nonce)" }

    /// This process.
    package static let current = WorkerIdentity(
        host: ProcessInfo.processInfo.hostName, pid: getpid(), nonce: String(UUID().uuidString.prefix(8)).lowercased())

    package init(host: String, pid: Int32, nonce: String) {
        self.host = host
        self.pid = pid
        self.nonce = nonce
    }

    package init?(id: String) {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, nonce: String(parts[2]))
    }

    /// Whether the owner is certainly gone: a process of this host whose pid no longer exists. Owners on other hosts are
    /// judged by their lease alone.
    package static func isCertainlyDead(_ owner: String) -> Bool {
        guard let identity = WorkerIdentity(id: owner), identity.host == current.host else { return false }
        if identity == current { return false }
        if identity.pid == current.pid { return true }  // our pid, another nonce: an earlier process with a reused pid
        return kill(identity.pid, 0) != 0 && errno == ESRCH
    }
}
