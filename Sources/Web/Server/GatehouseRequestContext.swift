import Hummingbird

/// The per-request context every Gatehouse route sees.
package struct GatehouseRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// Set by the authentication middleware; nil for anonymous requests.
    package var user: SignedInUser?
    /// Whether the user came with an API token (no CSRF check: a token is not sent by a browser on its own).
    package var viaToken = false
    /// The double-submit CSRF token of this browser, to put in forms.
    package var csrfToken = ""

    /// The client's IP address, for the audit log and sign-in throttling: the socket's peer, or the address a trusted
    /// proxy reports in `X-Forwarded-For` (set by the authentication middleware).
    package var remoteAddress: String?
    /// The socket's peer, which may be a proxy: only this decides whether a proxy's headers are believed.
    package var peerAddress: String?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        remoteAddress = peerAddress
    }

    /// Form posts and flow deployments are small; file inputs are limited separately.
    package var maxUploadSize: Int { 16 * 1024 * 1024 }
}
