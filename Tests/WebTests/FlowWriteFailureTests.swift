import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Web

/// A flow deployment that cannot be written tells the client what happened without the server's paths or the system's
/// error text; those go to the server's log.
@Suite("Flows API write failures")
struct FlowWriteFailureTests {
    static let flow = "id: new\nnamespace: team.z\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n"

    @Test("a flow file that cannot be written answers 500 with a message that names no server path")
    func unwritable() async throws {
        let fixture = try await ServerFixture()
        // A plain file where the namespace's folder would go: creating the folder fails, also for root.
        try "not a folder".write(to: fixture.root.appendingPathComponent("flows/team.z"), atomically: true, encoding: .utf8)
        try fixture.server.accounts.addUser(name: "root", roles: [.admin], email: nil, password: nil, by: "test")
        let token = try fixture.server.accounts.createToken(for: "root", name: "ci", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/flows/team.z/new", method: .put, headers: [.authorization: "Bearer \(token)", .contentType: "application/x-yaml"],
                body: ByteBuffer(string: Self.flow))
            let body = String(buffer: response.body)
            #expect(response.status == .internalServerError)
            #expect(body.contains("The flow could not be written to the flows folder"), "\(body)")
            #expect(!body.contains(fixture.root.path) && !body.contains("/flows/") && !body.contains("team.z/new.yaml"), "\(body)")
        }
        #expect(fixture.server.catalog.deployed.isEmpty)
    }

    @Test("a read-only flows folder (a read-only mount, or no permission) answers 503 and says how to deploy instead")
    func readOnly() {
        let underlying = NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))
        let errors: [any Error] = [
            CocoaError(.fileWriteVolumeReadOnly), CocoaError(.fileWriteNoPermission),
            NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue, userInfo: [NSUnderlyingErrorKey: underlying]),
        ]
        for error in errors {
            let failure = FlowAPIRoutes.writeFailure(error)
            #expect(failure.status == .serviceUnavailable)
            #expect(failure.body == "The flows folder is read-only on this server; deploy by changing the mounted flows folder instead.")
        }
        #expect(FlowAPIRoutes.writeFailure(CocoaError(.fileWriteOutOfSpace)).status == .internalServerError)
    }
}
