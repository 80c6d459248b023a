import Testing

@testable import Store

@Suite("Line diff of flow revisions")
struct LineDiffTests {
    @Test("identical lines give no diff")
    func identical() {
        #expect(LineDiff.unified(old: "a\nb\n", new: "a\nb", oldName: "1", newName: "2") == "")
    }

    @Test("changes far apart make separate hunks with three lines of context")
    func hunks() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n")
        var lines = (1...20).map { "line \($0)" }
        lines[1] = "line two"
        lines.insert("inserted", at: 15)
        lines.remove(at: 19)
        let diff = LineDiff.unified(old: old, new: lines.joined(separator: "\n"), oldName: "revision 1", newName: "revision 2")
        #expect(
            diff == """
                --- revision 1
                +++ revision 2
                @@ -1,5 +1,5 @@
                 line 1
                -line 2
                +line two
                 line 3
                 line 4
                 line 5
                @@ -13,8 +13,8 @@
                 line 13
                 line 14
                 line 15
                +inserted
                 line 16
                 line 17
                 line 18
                -line 19
                 line 20
                """)
    }

    @Test("a huge diff is cut at the line limit and says how much was left out")
    func bounded() {
        let new = (1...1_000).map { "line \($0)" }.joined(separator: "\n")
        let diff = LineDiff.unified(old: "", new: new, oldName: "(none)", newName: "revision 1", maximumLines: 10)
        let lines = diff.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines.last == "… 993 more lines of the diff left out")
        let byBytes = LineDiff.unified(old: "", new: new, oldName: "(none)", newName: "revision 1", maximumBytes: 100)
        #expect(byBytes.utf8.count < 200)
    }
}
