import Engine
import FlowModel
import Foundation
import Hummingbird
import Store

/// Flows through the API: list, read the source, and deploy (admins). Flows stay files: a deployed flow is written to
/// the flows folder (its existing file, else `<namespace>/<id>.yaml`) and the catalog reloads, which stores the new
/// revision with who deployed it. Flows labelled `system.readOnly: true` refuse edits from the pages, not from here.
struct FlowAPIRoutes: Sendable {
    let catalog: FlowCatalog

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/api/v1/flows") { _, _ in
            APIJSON.response(
                catalog.entries.map { entry -> [String: Any] in
                    var item: [String: Any] = ["file": entry.file, "valid": entry.isValid]
                    if let flow = entry.flow {
                        item["namespace"] = flow.namespace
                        item["id"] = flow.id
                    }
                    if let revision = entry.revision { item["revision"] = revision }
                    if !entry.errors.isEmpty { item["errors"] = entry.errors }
                    return item
                })
        }
        group.get("/api/v1/flows/{namespace}/{id}") { _, context in
            let entry = try self.entry(context)
            let source = FileManager.default.contents(atPath: entry.file).map { String(decoding: $0, as: UTF8.self) } ?? ""
            var item: [String: Any] = ["namespace": entry.flow?.namespace ?? "", "id": entry.flow?.id ?? "", "source": source]
            if let revision = entry.revision { item["revision"] = revision }
            return APIJSON.response(item)
        }
        group.put("/api/v1/flows/{namespace}/{id}") { request, context in
            guard let user = context.user, user.has(.admin) else { throw HTTPError(.forbidden, message: "deploying flows needs the role admin") }
            let namespace = context.parameters.get("namespace") ?? ""
            let id = context.parameters.get("id") ?? ""
            let source = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let parsed = FlowParser().parse(source: source, file: "\(namespace)/\(id).yaml")
            guard let flow = parsed.flow, parsed.errors.isEmpty else { return Self.invalid(parsed.errors.map(\.description)) }
            guard flow.namespace == namespace, flow.id == id else {
                return Self.invalid(["the flow declares \(flow.namespace).\(flow.id), but the address names \(namespace).\(id)"])
            }
            let existing = catalog.entries.first { $0.flow?.namespace == namespace && $0.flow?.id == id }?.file
            let target =
                existing ?? ((catalog.directory as NSString).appendingPathComponent(namespace) as NSString).appendingPathComponent("\(id).yaml")
            do {
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(source.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                // The path and the system's wording stay in the server's log: they describe the server, not the request.
                context.logger.error("deploying \(namespace).\(id) failed: cannot write \(target): \(error)")
                throw Self.writeFailure(error)
            }
            let entries = try catalog.reload(deployedBy: user.name)
            guard let deployed = entries.first(where: { $0.file == target }), let revision = deployed.revision else {
                return Self.invalid(entries.first { $0.file == target }?.errors ?? ["the flow was written but did not load"])
            }
            return APIJSON.response(["namespace": namespace, "id": id, "revision": revision, "file": target])
        }
    }

    private func entry(_ context: GatehouseRequestContext) throws -> FlowCatalog.Entry {
        let namespace = context.parameters.get("namespace") ?? ""
        let id = context.parameters.get("id") ?? ""
        guard let entry = catalog.entries.first(where: { $0.flow?.namespace == namespace && $0.flow?.id == id }) else {
            throw HTTPError(.notFound, message: "Flow '\(namespace).\(id)' not found")
        }
        return entry
    }

    /// What the client is told when the flow file cannot be written: a read-only flows folder (as mounted by Docker
    /// Compose) is the usual cause and is the server's state, not a fault; anything else is a plain server error.
    static func writeFailure(_ error: any Error) -> HTTPError {
        let cocoaReadOnly = (error as? CocoaError).map { [.fileWriteVolumeReadOnly, .fileWriteNoPermission].contains($0.code) } ?? false
        if cocoaReadOnly || posixCode(error).map([EROFS, EACCES, EPERM].contains) == true {
            return HTTPError(
                .serviceUnavailable,
                message: "The flows folder is read-only on this server; deploy by changing the mounted flows folder instead.")
        }
        return HTTPError(.internalServerError, message: "The flow could not be written to the flows folder; the server's log says why.")
    }

    private static func posixCode(_ error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        return (error.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap(posixCode)
    }

    private static func invalid(_ errors: [String]) -> Response {
        APIJSON.response(
            ["message": "Invalid entity: " + (errors.first ?? "invalid flow"), "_embedded": ["errors": errors.map { ["message": $0] }]],
            status: .unprocessableContent)
    }
}
