# One image for the SCIM gateway, the projector and the notifier (and the all-in-one process).
# The command picks the service:  node apps/<scim-gateway|projector|notifier|all-in-one>/dist/main.js
#
#   docker build -t axis-scim .
#   docker compose up --build            # the full deployment, see deploy/compose/README.md
#
# Stages:  manifests -> build (tsc)            \
#          manifests -> prod-deps (npm ci, native) -> runtime (no compiler, no dev deps, user node)

# Node 22 LTS (Node 20 reached its end of life in April 2026); the code also runs on Node 20.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- manifests: only what `npm ci` reads (root + every workspace package.json, the lock file). ---------
# Copying them out of the full context in their own stage means the `npm ci` layers below are rebuilt only
# when a manifest changes, not on every source edit, and no workspace has to be listed here by name.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && cp package.json package-lock.json /out/ \
 && for f in libs/*/package.json apps/*/package.json; do \
      [ -f "$f" ] || continue; mkdir -p "/out/${f%/package.json}"; cp "$f" "/out/$f"; \
    done

# --- build: every dependency (dev included) and `tsc -b tsconfig.build.json`. --------------------------
# --ignore-scripts: the root `prepare` script runs the build, which cannot work before the sources are
# copied; the native better-sqlite3 addon is not needed to compile TypeScript.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /out/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir -p /dist \
 && for d in libs/* apps/*; do \
      [ -d "$d/dist" ] || continue; mkdir -p "/dist/$d"; cp -a "$d/dist" "/dist/$d/"; \
    done \
 && find /dist -name '*.tsbuildinfo' -delete

# --- prod-deps: production node_modules, with better-sqlite3 compiled against this Node. -------------
# Why not `npm ci --omit=dev` in the runtime stage: the addon needs python3/make/g++, which then would have
# to be installed and removed in the final image. Here they live in a throw-away stage instead.
# `--ignore-scripts` skips the root `prepare` (the build: no sources here, no TypeScript without dev deps)
# and the scripts of the other packages (protobufjs' and @scarf/scarf's postinstall: a version notice and
# telemetry, neither needed); `npm rebuild better-sqlite3` then runs only that package's install script.
# build_from_source + nodedir: compile against the headers that ship in the node image, instead of downloading
# a prebuilt binary (prebuild-install) or the headers (node-gyp) at build time: works in offline builders too.
# (npm prints "Unknown env config build-from-source": that variable is for better-sqlite3's prebuild-install.)
FROM ${NODE_IMAGE} AS prod-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=manifests /out/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && if [ -f /usr/local/include/node/node_version.h ]; then export npm_config_nodedir=/usr/local; fi \
 && npm_config_build_from_source=better-sqlite3 npm rebuild better-sqlite3 \
 && (cd node_modules/better-sqlite3 \
     && rm -rf build/Release/obj build/Release/obj.target build/Release/.deps build/Release/sqlite3.a \
               build/Release/test_extension.node deps src) \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1 as ok').get().ok === 1 || process.exit(1)" \
 && npm cache clean --force

# --- runtime ------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="axis-scim" \
      org.opencontainers.image.description="AxisSynapse SCIM 2.0 provisioning: SCIM gateway, projector, notifier and the all-in-one process" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
# node_modules (the @axis/* entries are symlinks into libs/ and apps/), package.json files and lock file.
COPY --from=prod-deps /app/ ./
# The compiled dist/ folders of every workspace, in place beside their package.json.
COPY --from=build /dist/ ./
# Code stays root-owned (read-only for the service); only DATA_DIR (./data, the SQLite default of the
# all-in-one process) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# Ready means serving: /readyz of the process (the gateway and the all-in-one on PORT; the projector and
# the notifier on their METRICS_PORT, which compose passes as HEALTHCHECK_PORT). Node's fetch: the slim
# image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTHCHECK_PORT || process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/all-in-one/dist/main.js"]
