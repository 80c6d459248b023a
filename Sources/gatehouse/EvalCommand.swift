import ArgumentParser
import Foundation
import Pebble

/// `gatehouse eval 'TEMPLATE' [--context FILE.json | --context -]`: renders an expression as a flow would.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Render a Pebble template, to debug flow expressions.",
        discussion: """
            The context is a JSON object of variables (for example {"inputs": {"name": "web-1"}}), read from a file or, \
            with `--context -`, from standard input. Prints the rendered text; on failure prints `error: …` and exits 1.
            """
    )

    @Argument(help: "The template, for example '{{ inputs.name | upper }}'.")
    var template: String

    @Option(name: .long, help: "A JSON file holding the variables, or - for standard input.")
    var context: String?

    func run() throws {
        var variables = PebbleMap()
        if let context {
            let data: Data
            do {
                data = context == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: context))
            } catch {
                throw ValidationError("cannot read the context file \(context): \(error.localizedDescription)")
            }
            do {
                guard case .map(let map) = try PebbleValue.fromJSON(String(decoding: data, as: UTF8.self)) else {
                    throw ValidationError("the context must be a JSON object of variables, like {\"inputs\": {…}}")
                }
                variables = map
            } catch let error as PebbleError {
                throw ValidationError("the context \(context) is not valid JSON: \(error.message)")
            }
        }
        do {
            // As in a flow: secrets from SECRET_* variables (base64), the real clock.
            let engine = PebbleEngine(functions: [
                .secret(environment: ProcessInfo.processInfo.environment), .now(clock: { Date() }),
            ])
            print(try engine.render(template, variables: variables))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
