/**
 * The gateway's one typed configuration (docs/architecture.md "Conventions" 11): a YAML/JSON file (`--config` or
 * NETWEAVE_CONFIG) overlaid with environment variables, validated once, failing fast with messages that
 * say which setting is wrong and how to fix it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/** Where the references disagree on the name of the acknowledgement time (docs/monitoring.md). */
export const ACKNOWLEDGED_TIME_FIELDS = ['alarmAcknowledgedTime', 'alarmAcknowledgeTime', 'both'] as const;
export type AcknowledgedTimeField = (typeof ACKNOWLEDGED_TIME_FIELDS)[number];

const uuid = z.string().uuid();

/** `points` requests per `durationSeconds` (a fixed window per key). */
function budgetSchema(points: number, durationSeconds: number) {
  return z
    .object({
      points: z.number().int().min(1).default(points),
      durationSeconds: z.number().int().min(1).default(durationSeconds),
    })
    .strict()
    .default({});
}

const shardRecord = z
  .object({
    clusterId: z
      .string()
      .min(1)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label such as "edge-1"'),
    url: z.string().url(),
    wsUrl: z.string().url(),
  })
  .strict();

/**
 * O2 inventory subscriptions and their webhook delivery (docs/subscriptions.md). The defaults are the
 * production ones: https callbacks on public addresses only, a probe of the callback at creation. The demo
 * relaxes them explicitly (loopback, http, no probe).
 */
const subscriptionsSchema = z
  .object({
    /** Status for a POST that repeats an existing subscription (same callback and filter): oran-o2ims and the O-RAN SC tests use 400, pti-o2 409. */
    duplicateStatus: z.union([z.literal(400), z.literal(409)]).default(400),
    /** Refuse request bodies with members the O2 Subscription does not define (a misspelt `filter` would otherwise subscribe to everything). */
    rejectUnknownFields: z.boolean().default(true),
    /** GET the callback at creation and require 204 (oran-o2ims behaviour); off, nothing is sent until the first event. */
    probe: z
      .object({ enabled: z.boolean().default(true), timeoutMs: z.number().int().positive().default(5_000) })
      .strict()
      .default({}),
    /** Where callbacks may point (SSRF policy): every address a host name resolves to is checked. */
    callbacks: z
      .object({
        requireHttps: z.boolean().default(true),
        /** Host names (`smo.example.com`) or suffix patterns (`*.example.com`); empty: any host that passes the address checks. */
        allowedHosts: z.array(z.string().min(1)).default([]),
        allowLoopback: z.boolean().default(false),
        /** RFC 1918, IPv6 unique-local (fc00::/7), carrier-grade NAT (100.64/10). */
        allowPrivate: z.boolean().default(false),
        /** 169.254/16 and fe80::/10, where cloud metadata services live. */
        allowLinkLocal: z.boolean().default(false),
        /**
         * CIDR ranges accepted whatever their kind (special-use, translation prefixes, a private subnet…): the
         * explicit exception to "global unicast only".
         */
        allowedCidrs: z
          .array(z.string().refine(isCidr, 'a CIDR range such as "198.18.0.0/15" or "64:ff9b::/96"'))
          .default([]),
      })
      .strict()
      .default({}),
    delivery: z
      .object({
        /** Per-request timeout of a notification POST. */
        timeoutMs: z.number().int().positive().default(10_000),
        /**
         * How long a notification is retried, from its first failed attempt, before it is dead-lettered: hours,
         * so that a receiver's maintenance window or an outage loses nothing (its later notifications wait).
         */
        retryForMs: z.number().int().positive().default(86_400_000),
        /** Optional extra cap on the attempts per notification; unset: only `retryForMs` ends the retries. */
        maxAttempts: z.number().int().min(1).optional(),
        initialBackoffMs: z.number().int().positive().default(1_000),
        /** Longest pause between two attempts (before jitter): a receiver that is back is tried within it. */
        maxBackoffMs: z.number().int().positive().max(3_600_000).default(300_000),
        /** A Retry-After longer than this is capped to it. */
        maxRetryAfterMs: z.number().int().positive().default(300_000),
        /** Lease of a subscription's delivery work; a dead replica's work moves after at most this long. */
        leaseTtlMs: z.number().int().min(500).default(5_000),
        /**
         * Notifications a subscription's queue keeps for a receiver that is down (bounded retention). Overflow
         * drops the oldest pending ones and records one `queue-overflow` dead letter (docs/subscriptions.md).
         */
        queueMaxLength: z.number().int().positive().default(10_000),
        /** A subscription whose notification in flight has failed for this long is reported as failing. */
        failingAfterMs: z.number().int().positive().default(900_000),
        /** Dead letters older than this are dropped (they stay replayable until then). */
        deadLetterRetentionMs: z
          .number()
          .int()
          .positive()
          .default(7 * 86_400_000),
        /** HMAC-SHA256 key of the X-Netweave-Signature header (NETWEAVE_WEBHOOK_SECRET); unsigned when absent. */
        signingSecret: z.string().min(32).optional(),
        /** OAuth2 client credentials for the SMO: a bearer token is fetched, cached until expiry, and sent. */
        oauth2: z
          .object({
            tokenUrl: z.string().url(),
            clientId: z.string().min(1),
            clientSecret: z.string().min(1),
            scope: z.string().optional(),
            audience: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/**
 * O2 IMS infrastructure monitoring: alarms, alarm subscriptions, Alertmanager ingest (docs/monitoring.md). The
 * choices where the reference documents disagree are settings here, with the current O2IMS model as default.
 */
const monitoringSchema = z
  .object({
    /**
     * Name of the acknowledgement time in alarms and notifications: `alarmAcknowledgedTime` (O2IMS v11,
     * oran-o2ims records), `alarmAcknowledgeTime` (the O-RAN SC compliance schemas, pti-o2, oran-o2ims
     * notifications) or `both` (the default: SMOs of both profiles read one Monitoring API, and the it-test
     * schemas allow extra members, so each finds the name it expects).
     */
    acknowledgedTimeField: z.enum(ACKNOWLEDGED_TIME_FIELDS).default('both'),
    /** Status of a PATCH that clears an alarm whose definition is cleared automatically: 409 (issue, oran-o2ims) or 400. */
    automaticClearStatus: z.union([z.literal(409), z.literal(400)]).default(409),
    /** `retentionPeriod` (days) of the alarm service configuration until an SMO sets one. */
    defaultRetentionDays: z.number().int().min(1).default(7),
    /** How often the monitoring leader purges expired alarms and re-sends events a crashed writer left behind. */
    maintenanceIntervalMs: z.number().int().positive().default(60_000),
    /** The lease that makes one gateway replica the monitoring leader (purge, cluster reachability alarms). */
    leaderLeaseTtlMs: z.number().int().min(1_000).default(15_000),
    /** Probes of every cluster shard, which raise and clear "cluster API unreachable" alarms. */
    clusterProbe: z
      .object({
        intervalMs: z.number().int().positive().default(10_000),
        timeoutMs: z.number().int().positive().default(5_000),
        /** Consecutive failed probes (or failed requests) before the alarm is raised. */
        failureThreshold: z.number().int().positive().default(2),
      })
      .strict()
      .default({}),
    /** POST /netweave/v1/alertmanager: Alertmanager webhooks become O2 alarms. */
    alertmanager: z
      .object({
        enabled: z.boolean().default(true),
        /** Labels naming the cluster (a registered clusterId), first present wins. */
        clusterLabels: z
          .array(z.string().min(1))
          .default(['cluster', 'cluster_id', 'clusterId', 'k8s_cluster']),
        /** Labels naming the node (its name, or its address with an optional :port), first present wins. */
        nodeLabels: z
          .array(z.string().min(1))
          .default(['node', 'kubernetes_node', 'nodename', 'hostname', 'instance']),
      })
      .strict()
      .default({}),
  })
  .strict();

/** PEM files of a listener's TLS (docs/security.md "TLS and mTLS"), re-read while the process runs. */
export const listenerTlsSchema = z
  .object({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    /** CA bundle of accepted client certificates (needed unless clientCertificates is none). */
    caFile: z.string().min(1).optional(),
    /** none | request (optional; a verified one may authenticate) | require (mTLS: no certificate, no handshake). */
    clientCertificates: z.enum(['none', 'request', 'require']).default('none'),
    /** How often the files are checked for a renewed certificate (installed without a restart). */
    reloadIntervalMs: z.number().int().min(10).default(10_000),
  })
  .strict()
  .superRefine((tls, context) => {
    if (tls.clientCertificates !== 'none' && tls.caFile === undefined)
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['caFile'],
        message: `clientCertificates ${tls.clientCertificates} needs caFile (the CA of client certificates)`,
      });
  });

/** A TLS client's files: the CA it trusts, and a certificate of its own when the server asks for one. */
export const clientTlsSchema = z
  .object({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
    message: 'certFile and keyFile go together',
    path: ['certFile'],
  });

export const gatewayConfigSchema = z
  .object({
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** HTTPS on the listener; plain HTTP when absent. */
        tls: listenerTlsSchema.optional(),
        /** Strict-Transport-Security on every answer when TLS is on; maxAgeSeconds 0 turns it off. */
        hsts: z
          .object({
            maxAgeSeconds: z.number().int().min(0).default(31_536_000),
            includeSubDomains: z.boolean().default(false),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** Public base URL of this gateway; O2 serviceUri values are built from it. */
    publicUrl: z.string().url().optional(),
    oCloud: z
      .object({
        oCloudId: uuid.default('0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60'),
        globalCloudId: uuid.default('0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a61'),
        name: z.string().default('netweave O-Cloud'),
        description: z.string().default('O-Cloud of Kubernetes clusters federated by netweave'),
        extensions: z.record(z.unknown()).default({}),
      })
      .strict()
      .default({}),
    auth: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('development') }).strict(),
        z
          .object({
            mode: z.literal('jwt'),
            jwksUrl: z.string().url().optional(),
            jwksFile: z.string().min(1).optional(),
            /** Required: a token of another issuer or for another audience is never accepted. */
            issuer: z.string().min(1),
            audience: z.string().min(1),
            rolesClaim: z.string().min(1).default('roles'),
            tenantClaim: z.string().min(1).default('tenant'),
            /**
             * Tenant of tokens without the tenant claim. Unset: such tokens are refused (401), so tokens never
             * share a tenant by accident. `*` would make them operators of every tenant.
             */
            defaultTenant: z.string().min(1).optional(),
            /** Longest accepted token lifetime (exp − iat, or exp − now without iat); `exp` is always required. */
            maxTokenLifetimeSeconds: z.number().int().positive().default(86_400),
            /** Clock skew tolerated on exp/nbf/iat. */
            clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
            /**
             * Callers authenticated by a verified client certificate (listen.tls.clientCertificates request or
             * require) and no bearer token: subject CN → roles and tenant. A CN not listed needs a token.
             */
            clientCertificates: z
              .object({
                principals: z
                  .record(
                    z.string().min(1),
                    // Role names as in tokens: unknown ones are ignored (common/authenticate.ts).
                    z
                      .object({ roles: z.array(z.string().min(1)).default([]), tenant: z.string().min(1) })
                      .strict(),
                  )
                  .default({}),
              })
              .strict()
              .default({}),
            /** Clusters and namespaces each tenant may see (common/tenancy.ts, docs/security.md "Tenants"). */
            tenancy: z
              .object({
                /** Unset: scoping is off and every tenant sees every cluster (single-tenant installations). */
                tenants: z
                  .record(
                    z.string().min(1),
                    z
                      .object({
                        clusters: z.array(z.string().min(1)).optional(),
                        namespaces: z.array(z.string().min(1)).optional(),
                      })
                      .strict(),
                  )
                  .optional(),
                /** What a tenant missing from `tenants` sees: nothing (the safe default) or everything. */
                unlistedTenants: z.enum(['none', 'all']).default('none'),
                /** Token claims (lists of strings) that narrow one token's clusters / namespaces. */
                clustersClaim: z.string().min(1).default('netweave_clusters'),
                namespacesClaim: z.string().min(1).default('netweave_namespaces'),
              })
              .strict()
              .default({}),
          })
          .strict(),
      ])
      .superRefine((auth, context) => {
        if (auth.mode === 'jwt' && (auth.jwksUrl === undefined) === (auth.jwksFile === undefined)) {
          context.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['jwksUrl'],
            message: 'jwt mode needs exactly one of jwksUrl and jwksFile',
          });
        }
      })
      .default({ mode: 'development' }),
    /** Shared secret between the router and the cluster subgraphs. */
    internalToken: z.string().min(16).optional(),
    /** Prometheus scraping (docs/operations.md "Scraping"). */
    metrics: z
      .object({
        /**
         * Bearer token accepted on GET /metrics only (NETWEAVE_METRICS_TOKEN): Prometheus cannot hold a JWT that
         * expires. Unset: /metrics needs an authenticated caller like every path.
         */
        scrapeToken: z.string().min(16).optional(),
      })
      .strict()
      .default({}),
    /** Graceful shutdown on SIGTERM (docs/operations.md "Shutdown and upgrades"). */
    shutdown: z
      .object({
        /**
         * Time between readiness turning false and the listener closing, so load balancers stop sending
         * requests (the Kubernetes endpoints update is not instant).
         */
        readinessDelayMs: z.number().int().min(0).default(2_000),
        /** Longest wait for in-flight requests and notification deliveries to finish after that. */
        gracePeriodMs: z.number().int().min(0).default(20_000),
      })
      .strict()
      .default({}),
    store: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('memory') }).strict(),
        z
          .object({
            kind: z.literal('redis'),
            url: z.string().optional(),
            sentinels: z.array(z.object({ host: z.string(), port: z.number().int() }).strict()).optional(),
            sentinelName: z.string().optional(),
            /** Password of Redis (of the master in Sentinel mode); better from NETWEAVE_REDIS_PASSWORD. */
            password: z.string().min(1).optional(),
            keyPrefix: z.string().default('netweave:'),
            /**
             * Longest wait for a Redis reply; beyond it (and at once while the connection is down) a request
             * answers 503 + Retry-After instead of hanging.
             */
            commandTimeoutMs: z.number().int().min(50).max(60_000).default(2_000),
          })
          .strict(),
      ])
      .default({ kind: 'memory' }),
    shards: z
      .object({
        timeoutMs: z.number().int().positive().default(5_000),
        failureThreshold: z.number().int().positive().default(3),
        cooldownMs: z.number().int().positive().default(5_000),
        /** TLS towards https:// cluster subgraphs: the CA that signed their certificates, a client certificate. */
        tls: clientTlsSchema.optional(),
      })
      .strict()
      .default({}),
    readiness: z
      .object({
        /**
         * `/readyz` fails while no cluster is registered or none answers (besides a store outage). Turn it off
         * when an empty gateway must stay in its Service, e.g. to register clusters at runtime through it.
         */
        requireCluster: z.boolean().default(true),
      })
      .strict()
      .default({}),
    /** Clusters registered at start-up; more can be registered at runtime through the admin API. */
    clusters: z.array(shardRecord).default([]),
    subscriptions: subscriptionsSchema.default({}),
    monitoring: monitoringSchema.default({}),
    /** The O2 IMS inventory REST API (rest-facade; docs/inventory-api.md explains each choice). */
    inventory: z
      .object({
        /** Items per page of every list; a page is cut there and continued with nextpage_opaque_marker. */
        pageSize: z.number().int().min(1).max(10_000).default(100),
        /**
         * HMAC key of paging markers (≥ 32 characters); every replica must share it. Unset: derived from
         * internalToken (shared already), else random per process (markers then break across replicas).
         */
        markerSecret: z.string().min(32).optional(),
        /** How long a nextpage_opaque_marker stays valid. */
        markerTtlMs: z.number().int().positive().default(3_600_000),
        /**
         * Reuse of serialized answers (rest-facade/answer-cache.ts): exact — never served after a change event
         * of a cluster it was computed from (rest-facade/answer-freshness.ts) — and bounded in time on top: an
         * answer is served again for up to maxAgeMs (0: never), and for another maxAgeMs while its successor is
         * computed; partial and error answers are never reused; cluster (de)registration drops all.
         */
        cache: z
          .object({
            maxAgeMs: z.number().int().min(0).max(60_000).default(500),
            maxEntries: z.number().int().positive().default(512),
            maxBytes: z
              .number()
              .int()
              .positive()
              .default(64 * 1024 * 1024),
          })
          .strict()
          .default({}),
        v2: z
          .object({
            /** `fields` alone: 'only' (oran-o2ims: the listed fields + mandatory ones) or 'sol013' (Table 5.3.2-1). */
            fieldsMode: z.enum(['only', 'sol013']).default('only'),
          })
          .strict()
          .default({}),
        v1: z
          .object({
            /** Serve the O2IMS v4-compatible profile on /o2ims-infrastructureInventory/v1. */
            enabled: z.boolean().default(true),
            /** The O-Cloud id the SMO assigned: v4 and the it-test schemas spell it globalcloudId. */
            globalCloudIdSpelling: z
              .enum(['globalcloudId', 'globalCloudId', 'both'])
              .default('globalcloudId'),
            fieldsMode: z.enum(['only', 'sol013']).default('sol013'),
            /** The marker the Link header carries: page numbers (the v4 compliance suite) or opaque markers. */
            markerStyle: z.enum(['page-number', 'opaque']).default('page-number'),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** The O2 DMS (docs/dms.md): Helm execution in the cluster subgraphs and the vnflcm REST API. */
    dms: z
      .object({
        /** The helm binary the cluster subgraphs run (PATH lookup unless absolute). */
        helmPath: z.string().min(1).default('helm'),
        /** Helm processes at once per cluster. */
        maxHelmProcesses: z.number().int().min(1).max(64).default(4),
        /** How long a release's workloads may take to become ready before the occurrence is FAILED_TEMP. */
        readinessTimeoutMs: z.number().int().positive().default(300_000),
        /** How long a pod of an instantiated NF may stay unready before its NfPodUnready alarm (docs/dms.md). */
        nfUnreadyGraceMs: z.number().int().positive().default(60_000),
        /** Items per page of vnf_instances and vnf_lcm_op_occs. */
        pageSize: z.number().int().min(1).max(10_000).default(100),
        /**
         * Deployment policies (docs/dms.md "Policy"): the seed of the store's policies, each validated by the
         * gateway at start-up (dms/lifecycle/policy.ts; common/ imports nothing of ours, so only the shape of
         * an entry is checked here). A policyId edited or deleted over /netweave/v1/policies keeps its stored form.
         */
        policies: z
          .array(z.object({ policyId: z.string().min(1) }).passthrough())
          .default([])
          .refine((list) => new Set(list.map((p) => p.policyId)).size === list.length, {
            message: 'policyIds must be unique',
          }),
      })
      .strict()
      .default({}),
    /**
     * O2 IMS provisioning over Crossplane (docs/provisioning.md): off unless a management cluster is given.
     * `management` is how the gateway reaches it: a kubeconfig file (and context), in-cluster credentials, or a
     * server URL with a bearer token (and CA, base64 PEM).
     */
    provisioning: z
      .object({
        management: z
          .union([
            z.object({ kubeconfigPath: z.string().min(1), context: z.string().min(1).optional() }).strict(),
            z.object({ inCluster: z.literal(true) }).strict(),
            z
              .object({
                server: z.string().url(),
                token: z.string().min(1),
                caData: z.string().min(1).optional(),
              })
              .strict(),
          ])
          .optional(),
        /** The namespace of the composites and their kubeconfig Secrets. */
        namespace: z.string().min(1).default('netweave-provisioning'),
        /** How long a composite may stay unobserved or not Synced before its request is FAILED. */
        syncGraceSeconds: z.number().int().min(1).default(60),
        /** Lease of the replica that runs a provisioned cluster's subgraph (one per cluster). */
        joinLeaseTtlMs: z.number().int().min(1000).default(15_000),
        /** Re-evaluation period of the requests (timeouts, lease renewal). */
        tickMs: z.number().int().min(50).max(60_000).default(1000),
      })
      .strict()
      .default({}),
    graphiql: z.boolean().optional(),
    /** Limits of the public GraphQL endpoint, HTTP and graphql-ws (docs/security.md "GraphQL limits"). */
    graphql: z
      .object({
        limits: z
          .object({
            maxDepth: z.number().int().min(1).default(15),
            maxAliases: z.number().int().min(0).default(30),
            maxTokens: z.number().int().min(100).default(15_000),
            /** Estimated cost: each object field costs 1 × the sizes of the lists above it. */
            maxCost: z.number().int().min(1).default(5_000),
            /** Assumed size of a list without a literal `first` argument. */
            listSizeEstimate: z.number().int().min(1).default(10),
            maxVariableDepth: z.number().int().min(1).default(32),
          })
          .strict()
          .default({}),
        /**
         * Persisted-operations-only mode (docs/security.md "Persisted operations"): only these documents run on
         * /graphql, keyed by the SHA-256 (hex) of their text — inline and/or a JSON file `{ "<hash>": "<doc>" }`.
         */
        persistedOperations: z
          .object({
            only: z.boolean().default(false),
            operations: z
              .record(z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex'), z.string())
              .default({}),
            file: z.string().min(1).optional(),
          })
          .strict()
          .default({}),
        /** "Did you mean …?" in validation errors; unset: on in development mode only. */
        fieldSuggestions: z.boolean().optional(),
        websocket: z
          .object({
            /** Largest graphql-ws frame accepted; a larger one closes the socket (1009). */
            maxPayloadBytes: z
              .number()
              .int()
              .min(1024)
              .default(1024 * 1024),
            maxSubscriptionsPerConnection: z.number().int().min(1).default(100),
            /** Concurrent operations of one principal over all its connections to this replica. */
            maxSubscriptionsPerPrincipal: z.number().int().min(1).default(500),
            /** Ping interval; a peer that answers no ping within 1–2 intervals is cut (router/ws-keepalive.ts). 0: off. */
            keepAliveMs: z.number().int().min(0).default(12_000),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /**
     * Request budgets (docs/security.md "Rate limits"), kept in the state store: shared by every replica on one
     * Redis. Per client address before authentication, per principal after it, and per address for graphql-ws
     * connection attempts.
     */
    rateLimits: z
      .object({
        /** Unset: on in jwt mode, off in development mode (and in the test harness, startDemo). */
        enabled: z.boolean().optional(),
        perAddress: budgetSchema(1_200, 60),
        perPrincipal: budgetSchema(600, 60),
        websocketConnectsPerAddress: budgetSchema(60, 60),
      })
      .strict()
      .default({}),
    /** Every write and every denied request (docs/security.md "Audit log"), in the state store. */
    audit: z
      .object({
        enabled: z.boolean().default(true),
        /** Records kept at most (the oldest are trimmed). */
        maxEntries: z.number().int().min(100).default(100_000),
        /** Records older than this are never served (and go with the trim). */
        maxAgeDays: z.number().int().min(1).default(90),
      })
      .strict()
      .default({}),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type SubscriptionsConfig = GatewayConfig['subscriptions'];
export type MonitoringConfig = GatewayConfig['monitoring'];
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates; every problem is listed with its setting path. */
export function parseGatewayConfig(input: unknown, source = 'configuration'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((i) => `  - ${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('\n');
  throw new ConfigError(`invalid ${source}:\n${problems}\nSee docs/configuration.md for every setting.`);
}

/** Environment variables that override the file, for containers. */
export function configFromEnv(
  env: NodeJS.ProcessEnv,
  base: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(base);
  const listen = { ...(merged['listen'] as Record<string, unknown> | undefined) };
  if (env['NETWEAVE_HOST']) listen['host'] = env['NETWEAVE_HOST'];
  if (env['NETWEAVE_PORT']) listen['port'] = Number(env['NETWEAVE_PORT']);
  if (Object.keys(listen).length > 0) merged['listen'] = listen;
  if (env['NETWEAVE_PUBLIC_URL']) merged['publicUrl'] = env['NETWEAVE_PUBLIC_URL'];
  if (env['NETWEAVE_AUTH_MODE'])
    merged['auth'] = { ...(merged['auth'] as object), mode: env['NETWEAVE_AUTH_MODE'] };
  if (env['NETWEAVE_INTERNAL_TOKEN']) merged['internalToken'] = env['NETWEAVE_INTERNAL_TOKEN'];
  if (env['NETWEAVE_METRICS_TOKEN'])
    merged['metrics'] = {
      ...(merged['metrics'] as object | undefined),
      scrapeToken: env['NETWEAVE_METRICS_TOKEN'],
    };
  if (env['NETWEAVE_LOG_LEVEL']) merged['logLevel'] = env['NETWEAVE_LOG_LEVEL'];
  if (env['NETWEAVE_WEBHOOK_SECRET']) {
    const subscriptions = { ...(merged['subscriptions'] as Record<string, unknown> | undefined) };
    subscriptions['delivery'] = {
      ...(subscriptions['delivery'] as object | undefined),
      signingSecret: env['NETWEAVE_WEBHOOK_SECRET'],
    };
    merged['subscriptions'] = subscriptions;
  }
  if (env['NETWEAVE_HELM_PATH'])
    merged['dms'] = { ...(merged['dms'] as object | undefined), helmPath: env['NETWEAVE_HELM_PATH'] };
  if (env['NETWEAVE_OAUTH2_CLIENT_SECRET']) {
    // The client id and token URL stay in the file; only the secret comes from the environment.
    const subscriptions = { ...(merged['subscriptions'] as Record<string, unknown> | undefined) };
    const delivery = { ...(subscriptions['delivery'] as Record<string, unknown> | undefined) };
    delivery['oauth2'] = {
      ...(delivery['oauth2'] as object | undefined),
      clientSecret: env['NETWEAVE_OAUTH2_CLIENT_SECRET'],
    };
    subscriptions['delivery'] = delivery;
    merged['subscriptions'] = subscriptions;
  }
  if (env['NETWEAVE_MARKER_SECRET']) {
    merged['inventory'] = {
      ...(merged['inventory'] as object | undefined),
      markerSecret: env['NETWEAVE_MARKER_SECRET'],
    };
  }
  if (env['REDIS_URL']) {
    merged['store'] = { ...(merged['store'] as object), kind: 'redis', url: env['REDIS_URL'] };
  }
  if (env['NETWEAVE_REDIS_PASSWORD']) {
    merged['store'] = { ...(merged['store'] as object), password: env['NETWEAVE_REDIS_PASSWORD'] };
  }
  return merged;
}

export function loadGatewayConfig(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  const file = path ?? env['NETWEAVE_CONFIG'];
  let base: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(error as Error).message}`);
    }
    const parsed: unknown = parseYaml(text);
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError(`configuration file ${file} must hold a mapping of settings`);
    }
    base = (parsed ?? {}) as Record<string, unknown>;
  }
  return parseGatewayConfig(
    configFromEnv(env, base),
    file ? `configuration (${file} + environment)` : 'configuration (environment)',
  );
}
