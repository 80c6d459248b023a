// Benchmark: parsing and rendering typical flow templates with the Pebble engine. Run by bench/pebble.sh in release
// mode; not part of the tests. Prints medians of repeated batches so one slow batch does not skew the result.
import Foundation
import Pebble

/// Ten expressions of the kinds the shipped flows use: inputs, outputs with hyphenated ids, labels, coalescing,
/// a ternary, arithmetic, concatenation and an if block.
let template = """
    VM {{ inputs.vm_name }} ({{ inputs.server_type == 'cx22' ? 'small' : 'large' }}) in {{ inputs.location }} \
    for {{ labels.team }}, TTL {{ inputs.ttl ?? 'P7D' }}; plan {{ outputs['terraform-plan'].outputFiles['tfplan'] }}; \
    address {{ outputs.apply.vars.ipv4 }}; {{ flow.namespace ~ '.' ~ flow.id }} run {{ execution.id }} \
    disks {{ inputs.count * 2 }}{% if inputs.approved %} approved{% endif %}
    """

let variables = PebbleMap([
    ("inputs", ["vm_name": "web-1", "server_type": "cx22", "location": "fsn1", "ttl": "P14D", "count": 3, "approved": true]),
    ("outputs", ["terraform-plan": ["outputFiles": ["tfplan": "kestra://infra/vm/tfplan"]], "apply": ["vars": ["ipv4": "203.0.113.7"]]]),
    ("labels", ["team": "platform"]), ("flow", ["namespace": "infra", "id": "vm-provision"]),
    ("execution", ["id": "4wjtkzwVGBM9yKnjm3yv8r"]),
])

func medianMicroseconds(batches: Int, iterations: Int, _ body: (Int) throws -> Void) rethrows -> Double {
    var perCall: [Double] = []
    let clock = ContinuousClock()
    var counter = 0
    for _ in 0..<batches {
        let elapsed = try clock.measure {
            for _ in 0..<iterations {
                try body(counter)
                counter += 1
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        perCall.append(seconds * 1e6 / Double(iterations))
    }
    return perCall.sorted()[perCall.count / 2]
}

let engine = PebbleEngine()
let expected = try engine.render(template, variables: variables)
precondition(expected.contains("203.0.113.7") && expected.hasSuffix(" approved"), "the benchmark template renders wrongly: \(expected)")

// Warm up the cache and the allocator.
for _ in 0..<2_000 { _ = try engine.render(template, variables: variables) }

let cachedRender = try medianMicroseconds(batches: 21, iterations: 5_000) { _ in
    _ = try engine.render(template, variables: variables)
}
let parseAndRender = try medianMicroseconds(batches: 21, iterations: 500) { index in
    // A distinct comment makes every template new to the cache, so each call parses.
    _ = try engine.render(template + "{# \(index) #}", variables: variables)
}
let parseOnly = try medianMicroseconds(batches: 21, iterations: 500) { index in
    _ = try engine.parse(template + "{# p\(index) #}")
}

print("| benchmark | median per call |")
print("|---|---|")
print(String(format: "| render a cached 10-expression template | %.2f µs |", cachedRender))
print(String(format: "| parse and render it (cache miss) | %.2f µs |", parseAndRender))
print(String(format: "| parse only | %.2f µs |", parseOnly))
print("target: cached render under 20 µs — \(cachedRender < 20 ? "met" : "NOT met")")

// bench/run collects the key figures from the file BENCH_SUMMARY names, one `key<TAB>value` line each.
if let summary = ProcessInfo.processInfo.environment["BENCH_SUMMARY"], let file = FileHandle(forUpdatingAtPath: summary) {
    let figures = [("pebble.cached_render_us", cachedRender), ("pebble.parse_render_us", parseAndRender), ("pebble.parse_us", parseOnly)]
    file.seekToEndOfFile()
    file.write(Data(figures.map { "\($0.0)\t\(String(format: "%.4f", $0.1))\n" }.joined().utf8))
    file.closeFile()
}
