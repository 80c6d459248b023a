import FlowModel
import Foundation
import Testing

@Suite("Valid flow corpus")
struct ValidCorpusTests {
    static let parser = FlowParser()

    @Test("the corpus is large enough")
    func corpusSize() {
        #expect(Fixtures.valid.count >= 20)
    }

    @Test("every valid flow parses with no diagnostic", arguments: Fixtures.valid)
    func parsesCleanly(file: URL) throws {
        let result = Self.parser.parse(fileAt: file, displayPath: file.lastPathComponent)
        #expect(result.diagnostics.map(\.description) == [])
        let flow = try #require(result.flow)
        #expect(!flow.tasks.isEmpty)
    }

    static var flows: [Flow] {
        Fixtures.valid.compactMap { parser.parse(fileAt: $0).flow }
    }

    @Test("together they use every supported task type, in canonical and alias spellings")
    func coversTaskTypes() {
        let tasks = Self.flows.flatMap(\.allTasks)
        let used = Set(tasks.map(\.type))
        #expect(Set(TaskType.allCases).subtracting(used).isEmpty, "missing: \(Set(TaskType.allCases).subtracting(used))")
        let aliasUses = tasks.filter { $0.declaredType != $0.type.canonicalName }
        #expect(Set(aliasUses.map(\.type)).count >= 5)
    }

    @Test("together they use every input type and every trigger type")
    func coversInputsAndTriggers() {
        let inputs = Self.flows.flatMap(\.inputs) + Self.flows.flatMap { $0.allTasks.flatMap(\.onResume) }
        let declared = Set(inputs.map(\.declaredType))
        let expected = Set(InputType.allCases.map(\.rawValue)).subtracting(["FORM"]).union(["BOOLEAN", "ENUM"])
        #expect(expected.subtracting(declared).isEmpty, "missing: \(expected.subtracting(declared))")
        let triggers = Set(Self.flows.flatMap(\.triggers).map(\.type))
        #expect(triggers == Set(TriggerType.allCases))
    }

    @Test("1.x spellings are normalised: maxAttempt, delay-free pauses, taskDefaults, input name")
    func normalisesOldSpellings() {
        let retries = Self.flows.flatMap(\.allTasks).compactMap(\.retry)
        #expect(retries.contains { $0.maxAttempts != nil })
        #expect(Self.flows.contains { !$0.pluginDefaults.isEmpty })
    }
}
