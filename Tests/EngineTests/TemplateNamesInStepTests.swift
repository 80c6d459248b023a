import Foundation
import Pebble
import Testing

@testable import Engine
@testable import Store

/// `gatehouse validate` refuses calls of functions and filters the engine lacks; it must know the same ones the engine
/// renders with, or a valid flow would be refused (or a broken one let through).
@Suite("Validation knows the engine's functions")
struct TemplateNamesInStepTests {
    @Test("the functions and filters validation accepts are exactly those of the running engine")
    func inStep() throws {
        let fixture = try FlowRunnerTests.Fixture()
        #expect(Set(fixture.runner.engine.functionNames) == TemplateNames.functions)
        #expect(Set(fixture.runner.engine.filterNames) == TemplateNames.filters)
    }
}
