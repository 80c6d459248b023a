import ArgumentParser
import FlowModel
import Foundation

/// `gatehouse validate [PATH ...]`: checks flow files and prints compiler-style diagnostics.
struct ValidateCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check flow files and report every problem as path:line:col.",
        discussion: "Exit status: 0 when no flow has errors (warnings allowed), 1 when some flow has errors, 2 for usage errors."
    )

    @Argument(help: "Flow files or directories to check (.yaml and .yml, searched recursively).")
    var paths: [String] = ["flows"]

    @Option(name: .long, help: "Output format: text (path:line:col: severity: message) or json.")
    var format: Format = .text

    func run() throws {
        let validator = FlowValidator()
        let files: [String]
        do {
            files = try validator.flowFiles(in: paths)
        } catch {
            throw ValidationError(error.description)
        }
        let results = validator.validate(files: files)
        let diagnostics = results.flatMap(\.diagnostics)
        let errorCount = diagnostics.filter { $0.severity == .error }.count
        let warningCount = diagnostics.count - errorCount
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(diagnostics), as: UTF8.self))
        case .text:
            for diagnostic in diagnostics { print(diagnostic.description) }
            let invalid = results.filter { !$0.errors.isEmpty }.count
            print(
                "\(files.count) \(files.count == 1 ? "flow" : "flows") checked: \(invalid) invalid, "
                    + "\(errorCount) \(errorCount == 1 ? "error" : "errors"), \(warningCount) \(warningCount == 1 ? "warning" : "warnings")"
            )
        }
        if errorCount > 0 { throw ExitCode(1) }
    }
}
