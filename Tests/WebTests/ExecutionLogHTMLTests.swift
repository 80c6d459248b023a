import Foundation
import Store
import Testing

@testable import Web

@Suite("Execution page log lines")
struct ExecutionLogHTMLTests {
    static func line(_ level: String, _ text: String, task: String? = "run-1") -> LogLineRecord {
        LogLineRecord(
            executionId: "e", taskRunId: task, attempt: 1, timestamp: Date(timeIntervalSince1970: 1_760_000_000.5), level: level, line: text)
    }

    @Test("each line is an item with its time, level, task and text, ERROR and WARN marked, everything escaped")
    func markup() {
        let html = ExecutionLogHTML.html(
            [Self.line("INFO", "plain"), Self.line("ERROR", "<script>alert('x')</script> & \"q\""), Self.line("WARN", "w", task: nil)],
            taskNames: ["run-1": "plan<b>"])
        #expect(
            html
                == #"<li class=""><time>2025-10-09T08:53:20.500Z</time> <span class="level">INFO</span> <span class="task">plan&lt;b&gt;</span> "#
                + #"<span class="line">plain</span></li>"#
                + #"<li class="level-error"><time>2025-10-09T08:53:20.500Z</time> <span class="level">ERROR</span> "#
                + #"<span class="task">plan&lt;b&gt;</span> <span class="line">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</span></li>"#
                + #"<li class="level-warn"><time>2025-10-09T08:53:20.500Z</time> <span class="level">WARN</span> <span class="task"></span> "#
                + #"<span class="line">w</span></li>"#)
        #expect(ExecutionLogHTML.html([LogLineRecord](), taskNames: [:]).isEmpty)
    }
}
