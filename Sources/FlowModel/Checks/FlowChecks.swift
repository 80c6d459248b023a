/// Rules that span several elements of a flow: unique ids, input dependencies, trigger inputs.
extension ReadContext {
    /// Task ids must be unique across the whole flow, nested tasks and every handler list included.
    func checkUniqueTaskIDs() {
        var first: [String: SourceLocation] = [:]
        for entry in taskIDs {
            if let location = first[entry.id] {
                error(
                    entry.location, entry.path,
                    "duplicate task id `\(entry.id)`; it is already used at line \(location.line), column \(location.column) "
                        + "(task ids must be unique across the whole flow, including nested tasks, errors, finally and afterExecution)"
                )
            } else {
                first[entry.id] = entry.location
            }
        }
    }

    func checkUnique(_ items: [(id: String, location: SourceLocation, path: String)], what: String) {
        var first: [String: SourceLocation] = [:]
        for (id, location, itemPath) in items {
            if let earlier = first[id] {
                error(location, itemPath, "duplicate \(what) `\(id)`; it is already declared at line \(earlier.line), column \(earlier.column)")
            } else {
                first[id] = location
            }
        }
    }

    /// Duplicate ids, `dependsOn` naming unknown inputs, and dependency cycles.
    func checkInputs(_ inputs: [InputDeclaration]) {
        checkUnique(inputs.map { ($0.id, $0.location, Path.child($0.path, "id")) }, what: "input id")
        let declared = Set(inputs.map(\.id))
        for input in inputs {
            let locations = dependencyLocations[input.path]
            for (index, dependency) in (input.dependsOn?.inputs ?? []).enumerated() where !declared.contains(dependency) {
                var message = "input `\(input.id)` depends on a non-existent input `\(dependency)`"
                if let suggestion = Suggestion.closest(to: dependency, among: Array(declared)) { message += "; did you mean `\(suggestion)`?" }
                let location = locations?.names[safe: index] ?? locations?.key ?? input.location
                error(location, Path.index(Path.child(input.path, "dependsOn.inputs"), index), message)
            }
        }
        let edges = Dictionary(inputs.map { ($0.id, $0.dependsOn?.inputs.filter(declared.contains) ?? []) }, uniquingKeysWith: { first, _ in first })
        var reported = Set<String>()
        for input in inputs where !reported.contains(input.id) {
            if let cycle = Self.cycle(from: input.id, edges: edges) {
                reported.formUnion(cycle)
                error(
                    dependencyLocations[input.path]?.key ?? input.location, Path.child(input.path, "dependsOn"),
                    "cycle in input dependencies: " + (cycle + [cycle[0]]).map { "`\($0)`" }.joined(separator: " → ")
                )
            }
        }
        for input in inputs where !input.children.isEmpty {
            checkInputs(input.children)
        }
    }

    /// The dependency cycle that returns to `start`, if any, as the list of ids along it.
    static func cycle(from start: String, edges: [String: [String]]) -> [String]? {
        var stack: [(id: String, trail: [String])] = [(start, [start])]
        var visited = Set<String>()
        while let (id, trail) = stack.popLast() {
            for next in edges[id] ?? [] {
                if next == start { return trail }
                if visited.insert(next).inserted { stack.append((next, trail + [next])) }
            }
        }
        return nil
    }

    /// Schedule and Webhook triggers start executions with no person to fill the form, so they must supply required inputs.
    func checkTriggerInputs(_ triggers: [Trigger], inputs: [InputDeclaration]) {
        let needed = inputs.filter { $0.required && $0.defaults == nil }
        for trigger in triggers where trigger.type != .flow {
            let supplied = Set(trigger.inputs.map(\.key))
            let missing = needed.map(\.id).filter { !supplied.contains($0) }
            guard !missing.isEmpty else { continue }
            let kind = trigger.type == .schedule ? "Schedule" : "Webhook"
            let (noun, pronoun, subject) = missing.count == 1 ? ("input", "it", "the input") : ("inputs", "them", "the inputs")
            error(
                trigger.location, trigger.path,
                "\(kind) trigger `\(trigger.id)` does not supply the required \(noun) " + missing.map { "`\($0)`" }.joined(separator: ", ")
                    + "; add \(pronoun) under the trigger's `inputs`, or give \(subject) `defaults`"
            )
        }
    }
}
