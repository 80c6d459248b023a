import Foundation
import Synchronization
import Testing

@testable import Engine
@testable import Pebble
@testable import Store

/// `scripts.shell.Commands` and `Script` with real processes: streaming, exit codes, outputs, files, the environment,
/// masking (issue 5, item 1).
@Suite("Shell tasks")
struct ShellTaskTests {
    static let commands = "type: io.kestra.plugin.scripts.shell.Commands"

    @Test("stdout and stderr stream into the log as INFO and ERROR lines, in order, while the command runs")
    func streaming() async throws {
        let fixture = try ScriptFixture()
        let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])
        let execution = try await fixture.start(
            """
              - id: talk
                \(Self.commands)
                commands:
                  - echo one
                  - sleep 0.4
                  - echo two >&2
                  - sleep 0.1
                  - echo three
            """
        ) { record, _ in arrivals.withLock { $0[record.line] = .now } }
        #expect(execution.state == "SUCCESS")
        #expect(
            try fixture.lines(execution) == [
                "INFO Gatehouse runs the commands as host processes (the Process task runner); a container is not used", "INFO one", "ERROR two",
                "INFO three",
            ])
        let times = arrivals.withLock { $0 }
        let one = try #require(times["one"])
        let two = try #require(times["two"])
        #expect(two - one >= .milliseconds(300), "the first line was stored before the command ended")
        #expect(try fixture.outputs(execution, of: "talk")["exitCode"] == .int(0))
        #expect(fixture.workdirs.isEmpty, "the working directory is removed")
    }

    @Test("terminal colour codes a command prints (as Terraform does) are left out of the stored lines")
    func colourCodes() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            #"""
              - id: colour
                \#(Self.commands)
                commands:
                  - printf '\033[0m\033[1mPlan:\033[0m 1 to add\n'
                  - printf 'arrow \033[32m+\033[39m done\033(B\033\n' >&2
            """#
        )
        #expect(execution.state == "SUCCESS")
        let lines = try fixture.lines(execution).filter { !$0.contains("Process task runner") }
        #expect(lines == ["INFO Plan: 1 to add", "ERROR arrow + done"])
        #expect(CommandOutput.withoutTerminalCodes("a\u{1B}[38;5;196mb\u{1B}[0m é\u{1B}") == "ab é")
    }

    @Test("lines of a command that closes its output and runs on are stored while it runs, not held for its end")
    func closedOutputStillStreams() async throws {
        let fixture = try ScriptFixture()
        let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])
        let execution = try await fixture.start(
            """
              - id: quiet
                \(Self.commands)
                commands:
                  - echo early
                  - exec >&- 2>&-
                  - sleep 0.5
            """
        ) { record, _ in arrivals.withLock { $0[record.line] = .now } }
        let ended = ContinuousClock.now
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.lines(execution, of: "quiet").last == "INFO early")
        let early = try #require(arrivals.withLock { $0["early"] })
        #expect(ended - early >= .milliseconds(300), "the line was stored before the command ended")
    }

    @Test("a non-zero exit fails the task naming the code; failFast stops at the first failing command unless false")
    func exitCodes() async throws {
        let fixture = try ScriptFixture()
        let failed = try await fixture.start(
            """
              - {id: fail, \(Self.commands), commands: ["echo before", "false", "echo after"]}
            """)
        #expect(failed.state == "FAILED")
        #expect(try fixture.lines(failed).suffix(2) == ["INFO before", "ERROR Command failed with exit code 1"])
        #expect(try fixture.outputs(failed, of: "fail")["exitCode"] == .int(1))

        let lenient = try await fixture.start(
            """
              - {id: go, \(Self.commands), failFast: false, commands: ["false", "echo after"]}
              - {id: code, \(Self.commands), commands: ["exit 3"], allowFailure: true}
            """)
        #expect(lenient.state == "WARNING")
        #expect(try fixture.lines(lenient, of: "go").last == "INFO after")
        #expect(try fixture.lines(lenient, of: "code").last == "ERROR Command failed with exit code 3")
    }

    @Test("::{\"outputs\":…}:: lines become outputs.<id>.vars and stay out of the log; a broken one is a warning")
    func vars() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - id: produce
                \(Self.commands)
                taskRunner: {type: io.kestra.plugin.core.runner.Process}
                commands:
                  - echo '::{"outputs":{"name":"vm-1","count":2,"nested":{"ok":true}}}::'
                  - echo '::{"outputs":{"count":3}}::'
                  - echo '::{"outputs":broken}::'
              - {id: use, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.produce.vars.name }} {{ outputs.produce.vars.count }} {{ outputs.produce.vars.nested.ok }}"}
            """)
        #expect(execution.state == "SUCCESS")
        let lines = try fixture.lines(execution)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("WARN Invalid outputs '") == true)
        #expect(lines.dropFirst().first == #"INFO ::{"outputs":broken}::"#)
        #expect(lines.last == "INFO vm-1 3 true")
    }

    @Test("outputFiles go to storage as kestra:/// URIs that inputFiles of a later task and read() take")
    func files() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - id: make
                \(Self.commands)
                outputFiles: ["*.txt", "out/**"]
                commands:
                  - echo alpha > a.txt
                  - mkdir -p out/deep && printf 'report\\n' > out/deep/report.csv
                  - echo ignored > skip.log
              - id: use
                \(Self.commands)
                inputFiles:
                  copy.txt: "{{ outputs.make.outputFiles['a.txt'] }}"
                  conf/inline.txt: "inline {{ flow.id }}"
                commands:
                  - cat copy.txt conf/inline.txt
              - {id: read, type: io.kestra.plugin.core.log.Log, message: "{{ read(outputs.make.outputFiles['out/deep/report.csv']) }}"}
            """)
        #expect(execution.state == "SUCCESS")
        let files = try #require(try fixture.outputs(execution, of: "make")["outputFiles"]?.mapValue)
        #expect(files.keys == ["a.txt", "out/deep/report.csv"])
        let uri = try #require(files["a.txt"]?.stringValue)
        #expect(uri.hasPrefix("kestra:///engine/scripts/test/executions/\(execution.id)/tasks/make/"))
        #expect(uri.hasSuffix("/a.txt"))
        #expect(try fixture.lines(execution, of: "use").suffix(2) == ["INFO alpha", "INFO inline test"])
        #expect(try fixture.lines(execution, of: "read") == ["INFO report\n"])
    }

    @Test("namespaceFiles copies what include and exclude select; inputFiles may be a JSON string; read() reads them too")
    func namespaceFiles() async throws {
        let fixture = try ScriptFixture()
        let folder = fixture.root.appendingPathComponent("namespace-files/engine.scripts")
        for (name, text) in [("main.tf", "main"), ("modules/net/net.tf", "net"), ("notes.md", "notes"), ("modules/net/.terraform/cache.tf", "x")] {
            let file = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        let execution = try await fixture.start(
            """
              - id: list
                \(Self.commands)
                namespaceFiles: {include: ["*.tf", "modules/**"], exclude: ["**/.terraform/**"]}
                inputFiles: '{"extra.txt": "from json {{ flow.id }}", "main.tf": "overridden"}'
                commands:
                  - find . -type f | sort
                  - echo "$(cat main.tf) / $(cat extra.txt)"
              - id: elsewhere
                \(Self.commands)
                namespaceFiles: {namespaces: [engine.absent]}
                commands: ["true"]
              - {id: read, type: io.kestra.plugin.core.log.Log, message: "{{ read('modules/net/net.tf') }}"}
            """)
        let all = try fixture.lines(execution)
        #expect(execution.state == "SUCCESS", "\(all)")
        #expect(
            try fixture.lines(execution, of: "list").suffix(4) == [
                "INFO ./extra.txt", "INFO ./main.tf", "INFO ./modules/net/net.tf", "INFO overridden / from json test",
            ], "\(all)")
        #expect(try fixture.lines(execution, of: "elsewhere").contains { $0.hasPrefix("WARN namespace files:") && $0.contains("engine.absent") })
        #expect(try fixture.lines(execution, of: "read") == ["INFO net"])
    }

    @Test(
        "read() and inputFiles refuse files outside the execution's storage",
        arguments: [
            "{{ read('kestra:///../gatehouse.sqlite') }}",
            "{{ read('kestra:///engine/scripts/test/executions/OTHER/tasks/x/y/a.txt') }}",
            "{{ read('kestra:///engine/scripts/test/executions/%2E%2E/%2E%2E/%2E%2E/%2E%2E/gatehouse.sqlite') }}",
            "{{ read('../../gatehouse.sqlite') }}",
        ])
    func confinement(expression: String) async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - {id: peek, type: io.kestra.plugin.core.log.Log, message: "\(expression)"}
            """)
        #expect(execution.state == "FAILED")
        #expect(try fixture.lines(execution).allSatisfy { !$0.contains("SQLite") })

        let input = try await fixture.start(
            """
              - id: sneak
                \(Self.commands)
                inputFiles: {"../outside.txt": "x"}
                commands: ["true"]
            """)
        #expect(input.state == "FAILED")
        #expect(try fixture.lines(input).last?.contains("must be a relative path inside the working directory") == true)
    }

    @Test("the command sees a minimal environment: no server variables, HOME is the working directory, env is added")
    func environment() async throws {
        let fixture = try ScriptFixture(server: ["SECRET_FOO": Data("hush".utf8).base64EncodedString(), "GATEHOUSE_X": "server-only"])
        let execution = try await fixture.start(
            """
              - id: show
                \(Self.commands)
                env: {GREETING: "hi {{ flow.id }}"}
                commands:
                  - echo "foo=${SECRET_FOO:-unset} x=${GATEHOUSE_X:-unset} greeting=$GREETING"
                  - test "$HOME" = "$PWD" && test "$HOME" = "{{ workingDir }}" && echo home-ok
                  - env | cut -d= -f1 | sort | tr '\\n' ' '
            """)
        #expect(execution.state == "SUCCESS")
        let lines = try fixture.lines(execution, of: "show")
        #expect(lines.contains("INFO foo=unset x=unset greeting=hi test"))
        #expect(lines.contains("INFO home-ok"))
        #expect(lines.last?.split(separator: " ").dropFirst() == ["GREETING", "HOME", "LANG", "LOGNAME", "PATH", "PWD", "TMPDIR", "USER"])
    }

    @Test("secret values are masked in the command's output")
    func masking() async throws {
        let token = "tok-3f9a-very-secret"
        let fixture = try ScriptFixture(secrets: ["API_TOKEN": token])
        let execution = try await fixture.start(
            """
              - id: leak
                \(Self.commands)
                env: {TOKEN: "{{ secret('API_TOKEN') }}"}
                commands:
                  - echo "token=$TOKEN"
                  - printf %s "$TOKEN" | base64 >&2
                  - echo "::{\\"outputs\\":{\\"t\\":\\"$TOKEN\\"}}::"
            """)
        #expect(execution.state == "SUCCESS")
        let lines = try fixture.lines(execution, of: "leak")
        #expect(lines.suffix(2) == ["INFO token=******", "ERROR ******"], "\(lines)")
        #expect(try fixture.outputs(execution, of: "leak")["vars"] == .map(PebbleMap([("t", "******")])))
    }

    @Test("a Script task runs its script after the before commands, with failFast, and says a container is not used")
    func script() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - id: run
                type: io.kestra.plugin.scripts.shell.Script
                containerImage: ubuntu:24.04
                beforeCommands: ["NAME=world"]
                script: |
                  echo "hello $NAME"
                  false
                  echo unreachable
            """)
        #expect(execution.state == "FAILED")
        #expect(
            try fixture.lines(execution) == [
                "INFO Gatehouse runs the commands as host processes (the Process task runner); containerImage `ubuntu:24.04` is not used",
                "INFO hello world", "ERROR Command failed with exit code 1",
            ])
    }

    @Test("100 MB of output, a 10 MB line, a million short lines, invalid UTF-8 and a closed stdout do not break the log")
    func hostileOutput() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - id: flood
                \(Self.commands)
                commands:
                  - head -c 10485760 /dev/zero | tr '\\0' x; echo
                  - printf 'bad \\377\\376 bytes\\n'
                  - head -c 100000000 /dev/zero | tr '\\0' y | fold -w 99; echo
                  - yes | head -c 2000000
                  - echo last line
              - id: closed
                \(Self.commands)
                commands:
                  - exec 1>&-
                  - echo still here >&2
            """)
        #expect(execution.state == "SUCCESS")
        let lines = try fixture.lines(execution, of: "flood")
        let long = try #require(lines.first { $0.hasPrefix("INFO xxxx") })
        #expect(long.hasSuffix("… [line cut: 10485760 bytes in all]"))
        #expect(long.utf8.count < 70_000)
        #expect(lines.contains("INFO bad \u{FFFD}\u{FFFD} bytes"))
        #expect(lines.count < CommandOutput.Limits().storedLines + 500)
        let notice = try #require(lines.first { $0.hasPrefix("WARN the command printed more than the log keeps for one attempt") })
        // Everything was read: the lines left out hold most of the 100 MB flood.
        let dropped = notice.split(separator: "(").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        #expect(dropped > 90_000_000, "\(notice)")
        #expect(lines.last == "INFO last line")
        #expect(try fixture.lines(execution, of: "closed").last == "ERROR still here")
    }
}
