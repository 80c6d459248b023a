import ArgumentParser
import Foundation

/// The `gatehouse` command: argument parsing only; the libraries do the work.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "Self-service infrastructure requests with approvals, on Kestra-compatible flows.",
        subcommands: [
            ValidateCommand.self, EvalCommand.self, RunCommand.self, ResumeCommand.self, KillCommand.self, ExecutionsCommand.self, WorkerCommand.self,
            ServeCommand.self, UserCommand.self, TokenCommand.self,
            AuditCommand.self, HetznerCommand.self,
        ]
    )

    /// Usage errors exit with status 2, the convention CI scripts and `validate`'s contract expect.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
