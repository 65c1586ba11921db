# syntax=docker/dockerfile:1
# cadre-ledger: the API (default command), the projector service and the `ledger` CLI, compiled,
# with production dependencies only, run as a non-root user. Build: docker build -t cadre-ledger .
# Commands (deploy/compose, deploy/k8s):
#   API        node dist/apps/api/src/main.js            (the default)
#   projector  node dist/apps/projector/src/main.js      (PROJECTOR_MODE=follow | kafka-group)
#   CLI        node bin/ledger.js <command>              (migrations: `ledger migrate`)

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LEDGER_DATA_DIR=/var/lib/cadre-ledger \
    LEDGER_HEADS_FILE=/var/lib/cadre-ledger/heads.ndjson
# A CJK font for the PDF nomination dossier (embedded in each PDF; nothing is fetched at run time).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 ledger \
 && useradd --system --uid 10001 --gid ledger --home-dir /var/lib/cadre-ledger --shell /usr/sbin/nologin ledger \
 && mkdir -p /var/lib/cadre-ledger \
 && chown ledger:ledger /var/lib/cadre-ledger
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin/ledger.js ./bin/ledger.js
USER 10001:10001
EXPOSE 3000
VOLUME ["/var/lib/cadre-ledger"]
# Liveness only: readiness (database and event store reachable) is /health, for the orchestrator.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
