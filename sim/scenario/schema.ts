/**
 * The compact fixture format of `sim/scenarios/*.yaml` (documented in those files), validated with
 * messages that name the offending field. `loadScenario` expands a parsed fixture into full objects.
 */
import { z } from 'zod';

/** `30s`, `2m`, `1500ms`, `1h`, or a number of milliseconds. */
export const duration = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration such as 30s, 2m or 1500ms')
    .transform((text) => {
      const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text)!;
      const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
      return Math.round(Number(match[1]) * factor);
    }),
]);

const quantity = z
  .union([
    z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P|m)?$/, 'a quantity such as 128Gi'),
    z.number().nonnegative(),
  ])
  .transform(String);
const dnsName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label such as "edge-1"');
const stringMap = z.record(z.string());

const site = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    location: z
      .object({
        globalLocationId: z.string().min(1),
        name: z.string().min(1),
        description: z.string().optional(),
        coordinate: z
          .object({
            latitude: z.number().min(-90).max(90),
            longitude: z.number().min(-180).max(180),
            altitude: z.number().optional(),
          })
          .strict()
          .optional(),
        civicAddress: z
          .array(z.object({ caType: z.number().int().nonnegative(), caValue: z.string() }).strict())
          .optional(),
        address: z.string().optional(),
      })
      .strict(),
  })
  .strict();

const os = z
  .object({
    image: z.string().default('Ubuntu 22.04.4 LTS'),
    kernel: z.string().default('5.15.0-105-generic'),
    runtime: z.string().default('containerd://1.7.13'),
  })
  .strict();

const taint = z
  .object({
    key: z.string(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  })
  .strict();

const nodeFields = {
  pool: dnsName,
  /** converged: control plane that also runs workloads (compact edge clusters); no NoSchedule taint. */
  role: z.enum(['control-plane', 'worker', 'converged']).default('worker'),
  zones: z.array(z.string().min(1)).min(1).optional(),
  instanceType: z.string().min(1),
  vendor: z.string().min(1),
  model: z.string().min(1),
  arch: z.enum(['amd64', 'arm64']).default('amd64'),
  cpu: z
    .object({
      count: z.number().int().positive(),
      vendor: z.string().min(1),
      family: z.union([z.number().int(), z.string()]).transform(String),
      model: z.union([z.number().int(), z.string()]).transform(String),
      flags: z.array(z.string()).default([]),
    })
    .strict(),
  memory: quantity,
  ephemeralStorage: quantity.default('480Gi'),
  pods: z.number().int().positive().default(110),
  gpu: z
    .object({
      product: z.string().min(1),
      memoryMiB: z.number().int().positive(),
      count: z.number().int().positive(),
      family: z.string().optional(),
    })
    .strict()
    .optional(),
  /** Device-plugin resources besides GPUs, e.g. `intel.com/sriov_netdevice: 8`. */
  extendedResources: z.record(quantity).default({}),
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
  taints: z.array(taint).default([]),
  os: os.optional(),
};

export const nodeTemplateSchema = z.object(nodeFields).strict();
export type NodeTemplate = z.infer<typeof nodeTemplateSchema>;

const nodeGroup = z
  .object({
    ...nodeFields,
    /** Nodes are named `<prefix>-01`, `<prefix>-02`, … */
    prefix: dnsName,
    count: z.number().int().positive(),
  })
  .strict();
export type NodeGroup = z.infer<typeof nodeGroup>;

const container = z
  .object({
    name: dnsName,
    image: z.string().min(1),
    /** Requests; limits default to the requests (Guaranteed QoS) unless given. */
    cpu: quantity.optional(),
    memory: quantity.optional(),
    limits: z.record(quantity).optional(),
    /** Extended resource requests, e.g. `nvidia.com/gpu: 1` (limits follow). */
    extended: z.record(quantity).default({}),
    ports: z
      .array(
        z
          .object({
            name: z.string().optional(),
            containerPort: z.number().int().positive(),
            protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
          })
          .strict(),
      )
      .default([]),
    args: z.array(z.string()).optional(),
  })
  .strict();
export type ContainerSpec = z.infer<typeof container>;

const workload = z
  .object({
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
    name: dnsName,
    namespace: dnsName.default('default'),
    replicas: z.number().int().nonnegative().default(1),
    /** Schedules onto one resource pool (a nodeSelector on the pool label). */
    pool: dnsName.optional(),
    nodeSelector: stringMap.default({}),
    tolerateControlPlane: z.boolean().default(false),
    hostNetwork: z.boolean().default(false),
    /** Also create a ClusterIP Service for the workload's ports (StatefulSets always get a headless one). */
    service: z.boolean().default(false),
    serviceAccount: z.string().optional(),
    labels: stringMap.default({}),
    containers: z.array(container).min(1),
  })
  .strict();
export type WorkloadSpec = z.infer<typeof workload>;

const kubeObject = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z.object({ name: z.string().min(1) }).passthrough(),
  })
  .passthrough();

const cluster = z
  .object({
    name: dnsName,
    kubernetesVersion: z
      .string()
      .regex(/^v?\d+\.\d+\.\d+/)
      .optional(),
    poolLabel: z.string().optional(),
    region: z.string().min(1),
    site,
    network: z
      .object({ nodes: z.string().optional(), pods: z.string().default('10.244.0.0/16') })
      .strict()
      .default({}),
    os: os.default({}),
    nodeGroups: z.array(nodeGroup).min(1),
    /** Namespaces to create besides those the workloads use (labels optional). */
    namespaces: z
      .array(z.union([dnsName, z.object({ name: dnsName, labels: stringMap.default({}) }).strict()]))
      .default([]),
    workloads: z.array(workload).default([]),
    /** Further objects, verbatim (ConfigMaps, CRDs, custom resources…). */
    objects: z.array(kubeObject).default([]),
  })
  .strict();
export type ClusterFixture = z.infer<typeof cluster>;

const stepBase = { at: duration, cluster: dnsName };
/** A node to add: `group` names a node group of the cluster whose template it copies; fields override. */
const addedNode = z
  .object({ ...nodeFields, name: dnsName, group: dnsName.optional() })
  .partial()
  .required({ name: true })
  .strict();

const step = z.discriminatedUnion('action', [
  z.object({ ...stepBase, action: z.literal('setNodeReady'), node: z.string(), ready: z.boolean() }).strict(),
  z.object({ ...stepBase, action: z.literal('addNode'), node: z.union([kubeObject, addedNode]) }).strict(),
  z.object({ ...stepBase, action: z.literal('deleteNode'), node: z.string() }).strict(),
  z
    .object({
      ...stepBase,
      action: z.literal('labelNode'),
      node: z.string(),
      labels: z.record(z.string().nullable()),
    })
    .strict(),
  z
    .object({
      ...stepBase,
      action: z.literal('setExtendedResource'),
      node: z.string(),
      resource: z.string(),
      allocatable: quantity,
      capacity: quantity.optional(),
    })
    .strict(),
  z
    .object({
      ...stepBase,
      action: z.literal('setNodeCondition'),
      node: z.string(),
      type: z.string(),
      status: z.enum(['True', 'False', 'Unknown']),
      reason: z.string().optional(),
    })
    .strict(),
]);
export type StepFixture = z.infer<typeof step>;
export type AddedNodeFixture = z.infer<typeof addedNode>;

export const scenarioFixtureSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Free-form; a place to define YAML anchors (`&coredns`) that clusters reuse with aliases. */
    templates: z.unknown().optional(),
    kubernetesVersion: z
      .string()
      .regex(/^v?\d+\.\d+\.\d+/)
      .default('v1.31.2'),
    poolLabel: z.string().default('netweave.io/pool'),
    clusters: z.array(cluster).min(1),
    timeline: z
      .union([z.array(step), z.object({ repeatEvery: duration.optional(), steps: z.array(step) }).strict()])
      .default([])
      .transform((t) => (Array.isArray(t) ? { steps: t, repeatEvery: undefined } : t)),
  })
  .strict();
export type ScenarioFixture = z.infer<typeof scenarioFixtureSchema>;
