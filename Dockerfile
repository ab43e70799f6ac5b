# netweave gateway / cluster subgraph image. TypeScript runs through tsx (a runtime dependency), so the
# image needs no build step; the same image serves `netweave serve` and `netweave subgraph`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NETWEAVE_LOG_FORMAT=json
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# One COPY per production folder (docs/architecture.md "Folders"); testing/, tests/ and bench/ stay out.
COPY bin ./bin
COPY cli ./cli
COPY common ./common
COPY o2 ./o2
COPY alarms ./alarms
COPY notifier ./notifier
COPY router ./router
COPY rest-facade ./rest-facade
COPY schema ./schema
COPY state ./state
COPY subgraphs ./subgraphs
COPY sim ./sim
USER 10001
ENTRYPOINT ["node", "bin/netweave.js"]
CMD ["serve"]
