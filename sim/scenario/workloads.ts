/**
 * Expands workload fixtures into what the controllers of a healthy cluster would have produced:
 * Deployment → ReplicaSet → Pods, StatefulSet → Pods (+ headless Service), DaemonSet → one Pod per
 * eligible node, each with ownerReferences, placed on nodes that match the workload's pool/selector and
 * whose NoSchedule taints it tolerates (spread round-robin from a name-derived start). Pods that fit
 * nowhere stay Pending/Unschedulable, as they would in a real cluster.
 */
import { templateHash } from '../controllers/revision.ts';
import { statefulSetRevision } from '../controllers/stateful-set.ts';
import { SUFFIX_ALPHABET } from '../store/metadata.ts';
import type { KubeObject, OwnerReference } from '../types.ts';
import { stableChars, stableHex, stableIndex, stableSuffix, stableUid } from './determinism.ts';
import { addressIn } from './network.ts';
import type { ContainerSpec, WorkloadSpec } from './schema.ts';

export interface PlacementNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: ReadonlyArray<{ readonly key: string; readonly effect: string }>;
  readonly ip: string;
  readonly podCidr: string;
}

export interface WorkloadContext {
  readonly cluster: string;
  readonly poolLabel: string;
  readonly nodes: readonly PlacementNode[];
  /** Next host offset in each node's pod CIDR. */
  readonly podIpOffsets: Map<string, number>;
  readonly serviceIps: Set<string>;
}

type Json = Record<string, unknown>;

function nonZero(fields: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 0));
}

function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function containerSpec(c: ContainerSpec): Json {
  const requests: Record<string, string> = {
    ...(c.cpu === undefined ? {} : { cpu: c.cpu }),
    ...(c.memory === undefined ? {} : { memory: c.memory }),
    ...c.extended,
  };
  const limits: Record<string, string> = {
    ...(c.limits ?? {
      ...(c.cpu === undefined ? {} : { cpu: c.cpu }),
      ...(c.memory === undefined ? {} : { memory: c.memory }),
    }),
    ...c.extended,
  };
  const resources: Json = {};
  if (Object.keys(requests).length > 0) resources['requests'] = requests;
  if (Object.keys(limits).length > 0) resources['limits'] = limits;
  const spec: Json = {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    resources,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  if (c.args !== undefined) spec['args'] = c.args;
  if (c.ports.length > 0)
    spec['ports'] = c.ports.map((p) => ({
      ...(p.name === undefined ? {} : { name: p.name }),
      containerPort: p.containerPort,
      protocol: p.protocol,
    }));
  return spec;
}

function qosClass(containers: readonly ContainerSpec[]): string {
  const guaranteed = containers.every(
    (c) =>
      c.cpu !== undefined &&
      c.memory !== undefined &&
      (c.limits === undefined || (c.limits['cpu'] === c.cpu && c.limits['memory'] === c.memory)),
  );
  if (guaranteed) return 'Guaranteed';
  return containers.some((c) => c.cpu !== undefined || c.memory !== undefined || c.limits !== undefined)
    ? 'Burstable'
    : 'BestEffort';
}

function nodeSelectorOf(w: WorkloadSpec, poolLabel: string): Record<string, string> {
  return { ...(w.pool === undefined ? {} : { [poolLabel]: w.pool }), ...w.nodeSelector };
}

function eligibleNodes(w: WorkloadSpec, context: WorkloadContext): PlacementNode[] {
  const selector = nodeSelectorOf(w, context.poolLabel);
  return context.nodes.filter(
    (node) =>
      Object.entries(selector).every(([k, v]) => node.labels[k] === v) &&
      node.taints.every(
        (t) =>
          t.effect === 'PreferNoSchedule' ||
          (w.tolerateControlPlane && t.key === 'node-role.kubernetes.io/control-plane'),
      ),
  );
}

function tolerations(w: WorkloadSpec, daemon: boolean): Json[] {
  const list: Json[] = [];
  if (w.tolerateControlPlane)
    list.push({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' });
  if (daemon) {
    list.push(
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    );
  } else {
    list.push(
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    );
  }
  return list;
}

function podSpecTemplate(w: WorkloadSpec, context: WorkloadContext): Json {
  const spec: Json = {
    containers: w.containers.map(containerSpec),
    dnsPolicy: w.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    enableServiceLinks: true,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccountName: w.serviceAccount ?? 'default',
    terminationGracePeriodSeconds: 30,
  };
  const selector = nodeSelectorOf(w, context.poolLabel);
  if (Object.keys(selector).length > 0) spec['nodeSelector'] = selector;
  if (w.hostNetwork) spec['hostNetwork'] = true;
  if (w.tolerateControlPlane) spec['tolerations'] = tolerations(w, false).slice(0, 1);
  return spec;
}

function podIp(node: PlacementNode, w: WorkloadSpec, context: WorkloadContext): string {
  if (w.hostNetwork) return node.ip;
  const offset = context.podIpOffsets.get(node.name) ?? 2;
  context.podIpOffsets.set(node.name, offset + 1);
  return addressIn(node.podCidr, offset);
}

function imageId(image: string): string {
  const repository = image.replace(/:[^/:]+$/, '');
  return `${repository}@sha256:${stableHex(64, 'image', image)}`;
}

interface PodPlan {
  readonly name: string;
  readonly owner: KubeObject;
  readonly labels: Record<string, string>;
  readonly node: PlacementNode | undefined;
  readonly extraSpec?: Json;
  readonly generateName?: string;
}

function pod(
  w: WorkloadSpec,
  context: WorkloadContext,
  template: Json,
  plan: PodPlan,
  daemon: boolean,
): KubeObject {
  const spec: Json = { ...template, tolerations: tolerations(w, daemon), ...plan.extraSpec };
  const qos = qosClass(w.containers);
  let status: Json;
  if (plan.node === undefined) {
    const total = context.nodes.length;
    status = {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: `0/${total} nodes are available: ${total} node(s) didn't match Pod's node affinity/selector. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`,
        },
      ],
      qosClass: qos,
    };
  } else {
    spec['nodeName'] = plan.node.name;
    const ip = podIp(plan.node, w, context);
    status = {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({ type, status: 'True' })),
      hostIP: plan.node.ip,
      hostIPs: [{ ip: plan.node.ip }],
      podIP: ip,
      podIPs: [{ ip }],
      containerStatuses: w.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: imageId(c.image),
        containerID: `containerd://${stableHex(64, context.cluster, plan.name, c.name)}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: {} },
        lastState: {},
      })),
      qosClass: qos,
    };
  }
  const namespace = plan.owner.metadata.namespace!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: plan.name,
      namespace,
      uid: stableUid(context.cluster, 'Pod', namespace, plan.name),
      labels: plan.labels,
      ...(plan.generateName === undefined ? {} : { generateName: plan.generateName }),
      ownerReferences: [ownerRef(plan.owner)],
    },
    spec,
    status,
  };
}

function placements(
  w: WorkloadSpec,
  context: WorkloadContext,
  count: number,
): Array<PlacementNode | undefined> {
  const eligible = eligibleNodes(w, context);
  const start = stableIndex(eligible.length, context.cluster, w.namespace, w.name);
  return Array.from({ length: count }, (_, i) =>
    eligible.length === 0 ? undefined : eligible[(start + i) % eligible.length],
  );
}

function serviceIp(context: WorkloadContext, ...parts: string[]): string {
  // 10.96.0.0/12, skipping the first addresses (the API server and cluster DNS live there).
  for (let round = 0; ; round++) {
    const ip = addressIn('10.96.0.0/12', 16 + stableIndex(2 ** 20 - 32, ...parts, String(round)));
    if (!context.serviceIps.has(ip)) {
      context.serviceIps.add(ip);
      return ip;
    }
  }
}

function service(
  w: WorkloadSpec,
  context: WorkloadContext,
  selector: Record<string, string>,
  headless: boolean,
): KubeObject | undefined {
  const ports = w.containers.flatMap((c) => c.ports);
  if (ports.length === 0 && !headless) return undefined;
  const clusterIp = headless ? 'None' : serviceIp(context, context.cluster, w.namespace, w.name);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: stableUid(context.cluster, 'Service', w.namespace, w.name),
      labels: { ...selector, ...w.labels },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: clusterIp,
      clusterIPs: [clusterIp],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      selector,
      ports: ports.map((p) => ({
        ...(p.name === undefined ? {} : { name: p.name }),
        port: p.containerPort,
        targetPort: p.containerPort,
        protocol: p.protocol,
      })),
    },
    status: { loadBalancer: {} },
  };
}

function running(pods: readonly KubeObject[]): number {
  return pods.filter((p) => (p['status'] as Json)['phase'] === 'Running').length;
}

function deployment(
  w: WorkloadSpec,
  context: WorkloadContext,
  selector: Record<string, string>,
  labels: Record<string, string>,
): KubeObject[] {
  const { cluster } = context;
  const hash = stableChars(10, SUFFIX_ALPHABET, cluster, w.namespace, w.name, 'pod-template');
  const template = podSpecTemplate(w, context);
  const rsName = `${w.name}-${hash}`;
  const podLabels = { ...labels, 'pod-template-hash': hash };
  const deploy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: stableUid(cluster, 'Deployment', w.namespace, w.name),
      generation: 1,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec: template },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: w.namespace,
      uid: stableUid(cluster, 'ReplicaSet', w.namespace, rsName),
      generation: 1,
      labels: podLabels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(w.replicas),
        'deployment.kubernetes.io/max-replicas': String(w.replicas + Math.ceil(w.replicas / 4)),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [ownerRef(deploy)],
    },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { ...selector, 'pod-template-hash': hash } },
      template: { metadata: { labels: podLabels }, spec: template },
    },
  };
  const pods = placements(w, context, w.replicas).map((node, i) =>
    pod(
      w,
      context,
      template,
      {
        name: `${rsName}-${stableSuffix(5, cluster, w.namespace, rsName, String(i))}`,
        generateName: `${rsName}-`,
        owner: rs,
        labels: podLabels,
        node,
      },
      false,
    ),
  );
  const ready = running(pods);
  rs['status'] = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    observedGeneration: 1,
    ...nonZero({ readyReplicas: ready, availableReplicas: ready }),
  };
  const available = ready >= w.replicas - Math.floor(w.replicas / 4);
  deploy['status'] = {
    observedGeneration: 1,
    ...nonZero({
      replicas: pods.length,
      updatedReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: pods.length - ready,
    }),
    conditions: [
      {
        type: 'Available',
        status: available ? 'True' : 'False',
        reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message: available
          ? 'Deployment has minimum availability.'
          : 'Deployment does not have minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      },
    ],
  };
  const svc = w.service ? service(w, context, selector, false) : undefined;
  return [...(svc === undefined ? [] : [svc]), deploy, rs, ...pods];
}

function statefulSet(
  w: WorkloadSpec,
  context: WorkloadContext,
  selector: Record<string, string>,
  labels: Record<string, string>,
): KubeObject[] {
  const { cluster } = context;
  const template = podSpecTemplate(w, context);
  // The controller's own revision name for this template, so the running controller sees the pods as current.
  const revision = statefulSetRevision(w.name, { metadata: { labels }, spec: template });
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: stableUid(cluster, 'StatefulSet', w.namespace, w.name),
      generation: 1,
      labels,
    },
    spec: {
      replicas: w.replicas,
      serviceName: w.name,
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec: template },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
  };
  const pods = placements(w, context, w.replicas).map((node, i) => {
    const name = `${w.name}-${i}`;
    const podLabels = {
      ...labels,
      'apps.kubernetes.io/pod-index': String(i),
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': name,
    };
    return pod(
      w,
      context,
      template,
      { name, owner: sts, labels: podLabels, node, extraSpec: { hostname: name, subdomain: w.name } },
      false,
    );
  });
  const ready = running(pods);
  sts['status'] = {
    observedGeneration: 1,
    replicas: pods.length,
    ...nonZero({
      readyReplicas: ready,
      currentReplicas: pods.length,
      updatedReplicas: pods.length,
      availableReplicas: ready,
    }),
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
  };
  return [service(w, context, selector, true)!, sts, ...pods];
}

function daemonSet(
  w: WorkloadSpec,
  context: WorkloadContext,
  selector: Record<string, string>,
  labels: Record<string, string>,
): KubeObject[] {
  const { cluster } = context;
  const template = podSpecTemplate(w, context);
  const hash = templateHash({ metadata: { labels }, spec: template });
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: stableUid(cluster, 'DaemonSet', w.namespace, w.name),
      generation: 1,
      labels,
      annotations: { 'deprecated.daemonset.template.generation': '1' },
    },
    spec: {
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec: template },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
    },
  };
  const nodes = eligibleNodes(w, context);
  const podLabels = { ...labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' };
  const pods = nodes.map((node) => {
    const name = `${w.name}-${stableSuffix(5, cluster, w.namespace, w.name, node.name)}`;
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.name] }] },
          ],
        },
      },
    };
    return pod(
      w,
      context,
      template,
      { name, generateName: `${w.name}-`, owner: ds, labels: podLabels, node, extraSpec: { affinity } },
      true,
    );
  });
  const ready = running(pods);
  ds['status'] = {
    observedGeneration: 1,
    desiredNumberScheduled: nodes.length,
    currentNumberScheduled: nodes.length,
    numberMisscheduled: 0,
    numberReady: ready,
    ...nonZero({ numberAvailable: ready, updatedNumberScheduled: nodes.length }),
  };
  return [ds, ...pods];
}

export function expandWorkload(w: WorkloadSpec, context: WorkloadContext): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': w.name };
  const labels = { ...selector, ...w.labels };
  switch (w.kind) {
    case 'Deployment':
      return deployment(w, context, selector, labels);
    case 'StatefulSet':
      return statefulSet(w, context, selector, labels);
    case 'DaemonSet':
      return daemonSet(w, context, selector, labels);
  }
}
