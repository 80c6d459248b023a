import Engine
import FlowModel
import Hummingbird

/// The catalog: the flows people can request, grouped by namespace. Invalid flow files are listed for admins with
/// their errors, so a broken file is noticed instead of silently missing.
struct CatalogRoutes: Sendable {
    let catalog: FlowCatalog
    let views: Views

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/") { _, context in
            let user = context.user
            var namespaces: [String: [[String: Any]]] = [:]
            for deployed in catalog.deployed where !deployed.flow.disabled {
                let flow = deployed.flow
                namespaces[flow.namespace, default: []].append([
                    "id": flow.id, "namespace": flow.namespace, "name": Self.displayName(flow),
                    "descriptionHTML": Views.optional(SafeMarkdown.html(flow.description ?? "")),
                    "inputs": flow.inputs.count,
                ])
            }
            let groups = namespaces.keys.sorted().map { ["namespace": $0, "flows": namespaces[$0] ?? []] as [String: Any] }
            var data: [String: Any] = ["namespaces": groups, "empty": groups.isEmpty]
            if user?.has(.admin) == true {
                let invalid = catalog.entries.filter { !$0.isValid }.map { ["file": $0.file, "errors": $0.errors] as [String: Any] }
                data["invalid"] = invalid
                data["hasInvalid"] = !invalid.isEmpty
            }
            return views.page("catalog", title: "Catalog", context: context, data: data)
        }
    }

    /// A flow's `system.displayName`-style label when it has one, else its id.
    static func displayName(_ flow: Flow) -> String {
        flow.labels.first { $0.key == "gatehouse.displayName" }?.value ?? flow.id
    }
}
