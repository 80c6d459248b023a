import Foundation

/// Where the templates (`Templates/`) and static files (`Public/`) are: `GATEHOUSE_WEB_ROOT`, else the current folder,
/// else the nearest folder above the executable that has them (a build inside the repository, `/app` in the image).
package struct WebRoot: Sendable {
    package let path: String

    package var templates: String { (path as NSString).appendingPathComponent("Templates") }
    package var publicFiles: String { (path as NSString).appendingPathComponent("Public") }

    package init(path: String) { self.path = path }

    package static func locate(environment: [String: String]) throws -> WebRoot {
        if let configured = environment["GATEHOUSE_WEB_ROOT"] {
            guard hasTemplates(configured) else {
                throw WebRootError("GATEHOUSE_WEB_ROOT=\(configured) has no Templates/ folder")
            }
            return WebRoot(path: configured)
        }
        var candidates = [FileManager.default.currentDirectoryPath]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.path)
            folder.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: hasTemplates) else {
            throw WebRootError("cannot find the Templates/ folder; run from the Gatehouse folder or set GATEHOUSE_WEB_ROOT")
        }
        return WebRoot(path: found)
    }

    private static func hasTemplates(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("Templates/layout.mustache"))
    }
}

package struct WebRootError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
