import Hummingbird

/// The per-request context every Gatehouse route sees.
package struct GatehouseRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Form posts and flow deployments are small; file inputs are limited separately.
    package var maxUploadSize: Int { 16 * 1024 * 1024 }
}
