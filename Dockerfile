# syntax=docker/dockerfile:1.7
# Bulkhead: the dashboard, the `bulkhead` CLI (collect, worker, users, import, kpis, analyze, ...)
# and the database migrations in one image (docs/deploying.md).
#
#   docker build -t bulkhead:0.1.0 .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://... -e BULKHEAD_AUTH_SECRET=... bulkhead:0.1.0
#   docker run --rm -e DATABASE_URL=... bulkhead:0.1.0 worker
#
# What the final stage runs is laid out by scripts/image/assemble-app.sh, which CI runs as well
# and then starts the server and the CLI from (testing/image/): CI here has no container engine.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
# The postinstall (prisma generate) reads the schema and prisma.config.ts, which imports the migration adapter.
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
COPY lib/db/migration-adapter.ts ./lib/db/migration-adapter.ts
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Nothing under /app is written at run time (CI checks it: testing/image/), so the root file system
# can be read-only.
RUN --mount=type=cache,target=/root/.npm sh scripts/image/assemble-app.sh /src /app

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="bulkhead" \
      org.opencontainers.image.description="Network segmentation posture of AKS clusters: dashboard, collector and CLI" \
      org.opencontainers.image.source="https://github.com/bulkhead/bulkhead" \
      org.opencontainers.image.licenses="UNLICENSED"
RUN groupadd --system --gid 10001 bulkhead \
 && useradd --system --uid 10001 --gid bulkhead --home-dir /tmp --no-create-home --shell /usr/sbin/nologin bulkhead
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# Writable places: /tmp (tsx's compile cache, HOME) and /data (the embedded Postgres
# when no DATABASE_URL is given, and the sign-in secret when BULKHEAD_AUTH_SECRET is not set).
RUN mkdir -p /data && chown bulkhead:bulkhead /data
VOLUME ["/data"]
ENV NODE_ENV=production \
    HOME=/tmp \
    PORT=3000 \
    BULKHEAD_HOME=/app \
    BULKHEAD_DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["node", "/app/bin/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/bin/bulkhead.mjs"]
CMD ["serve", "--host", "0.0.0.0"]
