import Foundation

/// How long something took or has been going, written the same way on every page: the history's durations, a task
/// run's time on the execution page, and the age of an approval request or a VM. Exact where it is short (a task run
/// of 120 ms), coarser as it grows, so a VM three days old reads "3 d 2 h" rather than a count of minutes.
enum DurationText {
    static func short(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0 ms" }
        let milliseconds = Int((seconds * 1000).rounded())
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let tenths = Int((seconds * 10).rounded())
        if tenths < 100 { return "\(tenths / 10).\(tenths % 10) s" }
        let total = seconds < Double(Int.max / 2) ? Int(seconds.rounded()) : Int.max / 2
        if total < 60 { return "\(total) s" }
        if total < 3600 { return pair(total / 60, "min", total % 60, "s") }
        if total < 86_400 { return pair(total / 3600, "h", total % 3600 / 60, "min") }
        return pair(total / 86_400, "d", total % 86_400 / 3600, "h")
    }

    private static func pair(_ major: Int, _ majorUnit: String, _ minor: Int, _ minorUnit: String) -> String {
        minor == 0 ? "\(major) \(majorUnit)" : "\(major) \(majorUnit) \(minor) \(minorUnit)"
    }
}
