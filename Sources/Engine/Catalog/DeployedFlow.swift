import FlowModel

/// A flow whose source is stored as a revision: what triggers start and what the catalog offers.
package struct DeployedFlow: Sendable {
    package let flow: Flow
    package let revision: Int
    /// Where the flow came from, for messages (a file path, or `namespace.id revision N`).
    package let origin: String

    package init(flow: Flow, revision: Int, origin: String) {
        self.flow = flow
        self.revision = revision
        self.origin = origin
    }

    /// The flow's enabled triggers of one type.
    func triggers(_ type: TriggerType) -> [Trigger] {
        flow.disabled ? [] : flow.triggers.filter { $0.type == type && !$0.disabled }
    }
}
