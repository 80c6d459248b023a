import NIOCore

extension TimeAmount {
    /// A Swift `Duration` as NIO's nanosecond count.
    init(_ duration: Duration) {
        let components = duration.components
        self = .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }
}
