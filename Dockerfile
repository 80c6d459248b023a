# syntax=docker/dockerfile:1
# Gatehouse in a container: a Swift build stage, a stage that downloads and verifies the Terraform CLI, and a small
# Debian runtime. Build and run with `docker compose up --build` (compose.yaml); README.md, "Run with Docker Compose".

# ---- build: the gatehouse binary -------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# The whole package: SwiftPM checks that every target's folder (tests and benchmarks too) exists before it builds one.
COPY . .
# --static-swift-stdlib links the Swift runtime and Foundation into the binary, so the runtime image needs no Swift
# toolchain: what stays dynamic is glibc, libstdc++, libgcc, zlib and SQLite (checked with ldd).
RUN --mount=type=cache,target=/build/.build \
    swift build -c release --product gatehouse --static-swift-stdlib \
    && install -m 0755 "$(swift build -c release --show-bin-path)/gatehouse" /usr/local/bin/gatehouse

# ---- terraform: the CLI, checked against HashiCorp's signed checksums -----------------------------------------
FROM debian:bookworm-slim AS terraform
ARG TERRAFORM_VERSION=1.14.1
# HashiCorp's release signing key (https://www.hashicorp.com/security).
ARG HASHICORP_PGP_FINGERPRINT=C874011F0AB405110D02105534365D9472D7468F
ARG TARGETARCH
RUN set -eux; \
    export DEBIAN_FRONTEND=noninteractive; \
    apt-get update -q; \
    apt-get install -y -q --no-install-recommends ca-certificates curl gnupg unzip; \
    arch="${TARGETARCH:-$(dpkg --print-architecture)}"; \
    base="https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}"; \
    zip="terraform_${TERRAFORM_VERSION}_linux_${arch}.zip"; \
    sums="terraform_${TERRAFORM_VERSION}_SHA256SUMS"; \
    cd /tmp; \
    curl -fsSLO "${base}/${zip}"; \
    curl -fsSLO "${base}/${sums}"; \
    curl -fsSLO "${base}/${sums}.sig"; \
    curl -fsSL -o hashicorp.asc https://www.hashicorp.com/.well-known/pgp-key.txt; \
    export GNUPGHOME="$(mktemp -d)"; \
    gpg --batch --import hashicorp.asc; \
    gpg --batch --with-colons --fingerprint | grep -q "^fpr:::::::::${HASHICORP_PGP_FINGERPRINT}:"; \
    gpg --batch --verify "${sums}.sig" "${sums}"; \
    grep " ${zip}\$" "${sums}" | sha256sum -c -; \
    unzip -o "${zip}" terraform -d /usr/local/bin; \
    /usr/local/bin/terraform version

# ---- runtime ---------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends ca-certificates curl libsqlite3-0 libstdc++6 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin gatehouse \
    && install -d -o gatehouse -g gatehouse -m 0700 /data
COPY --from=terraform /usr/local/bin/terraform /usr/local/bin/terraform
COPY --from=build /usr/local/bin/gatehouse /usr/local/bin/gatehouse

WORKDIR /app
COPY Templates Templates
COPY Public Public
COPY flows flows
COPY terraform terraform
# The namespace `hetzner` sees the module folder as `hetzner-vm/…` (the repository's namespace-files/ links the same
# way; compose.yaml mounts both folders, which keeps the relative link valid).
RUN mkdir -p namespace-files && ln -s ../terraform namespace-files/hetzner

ENV GATEHOUSE_HOST=0.0.0.0 \
    GATEHOUSE_PORT=8080 \
    GATEHOUSE_DATA=/data \
    GATEHOUSE_FLOWS=/app/flows \
    GATEHOUSE_NAMESPACE_FILES=/app/namespace-files \
    GATEHOUSE_WEB_ROOT=/app
USER gatehouse
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${GATEHOUSE_PORT}/healthz" >/dev/null || exit 1
ENTRYPOINT ["gatehouse"]
CMD ["serve"]
