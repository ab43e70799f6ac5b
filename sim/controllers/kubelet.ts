/**
 * What a kubelet reports for a pod bound to its node, without pulling images or running anything: the
 * pod is Running with every container started, an IP from the node's pod range (or the node's address
 * for hostNetwork pods) and Ready — unless the pod says it must not become ready:
 *
 * - the annotation `sim.netweave.io/ready: "false"` (on the pod, so also on a workload's pod template), or
 * - a container whose readiness probe is an `exec` of exactly `["false"]` or `["/bin/false"]` (a probe
 *   that can never succeed).
 *
 * Such pods stay Running but not Ready, as on a real cluster whose readiness probes keep failing.
 *
 * A pod annotated `sim.netweave.io/crash-loop` crash-loops: its containers exit with code 1 and wait in
 * CrashLoopBackOff, and each restart raises their `restartCount` (crashLoopStatus, driven by the controllers'
 * timer every `crashLoopRestartMs`). The value is `"true"` (from the start) or a duration such as `"30s"` or
 * `"500ms"` (the pod starts Ready and its containers begin to crash after that long — an NF that passes its
 * readiness checks and fails later). Any other value (e.g. `"false"`) does nothing, so a chart can template it.
 */
import { createHash } from 'node:crypto';
import { addressIn, formatIpv4, parseCidr, parseIpv4 } from '../scenario/network.ts';
import type { KubeObject } from '../types.ts';
import type { Json } from './json-access.ts';
import { record, records, specOf, statusOf } from './json-access.ts';
import { qosClass } from './pods.ts';

/** Set to "false" on a pod (or a workload's pod template) to keep the pod Running but never Ready. */
export const READY_ANNOTATION = 'sim.netweave.io/ready';

const ALWAYS_FAILING = [['false'], ['/bin/false']];

function hex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export function failingReadinessProbe(container: Json): boolean {
  const command = record(record(container['readinessProbe'])['exec'])['command'];
  return (
    Array.isArray(command) &&
    ALWAYS_FAILING.some((never) => never.length === command.length && never.every((c, i) => c === command[i]))
  );
}

/** `"true"` or a duration (`"30s"`, `"500ms"`, `"2m"`): the pod's containers crash-loop (see the header). */
export const CRASH_LOOP_ANNOTATION = 'sim.netweave.io/crash-loop';

/** Milliseconds after its start at which the pod begins to crash-loop; undefined when it never does. */
export function crashLoopDelayMs(pod: KubeObject): number | undefined {
  const value = pod.metadata.annotations?.[CRASH_LOOP_ANNOTATION]?.trim();
  if (value === undefined) return undefined;
  if (value === 'true') return 0;
  const match = /^(\d{1,9})(ms|s|m)$/.exec(value);
  if (match === null) return undefined;
  const unit = match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000;
  return Number(match[1]) * unit;
}

/**
 * The status after one more crash of every container of a running pod: exited with code 1 (lastState),
 * waiting in CrashLoopBackOff, restartCount + 1, and the pod not Ready — what the kubelet reports between
 * back-offs. The pod stays Running (its phase does not change while restartPolicy is Always).
 */
export function crashLoopStatus(pod: KubeObject, now: string): Json {
  const status = structuredClone(statusOf(pod));
  const crashed: string[] = [];
  status['containerStatuses'] = records(status['containerStatuses']).map((container) => {
    const name = String(container['name'] ?? '');
    crashed.push(name);
    const running = record(record(container['state'])['running']);
    const restarts = typeof container['restartCount'] === 'number' ? container['restartCount'] : 0;
    return {
      ...container,
      ready: false,
      started: false,
      restartCount: restarts + 1,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 10s restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`,
        },
      },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: typeof running['startedAt'] === 'string' ? running['startedAt'] : now,
          finishedAt: now,
          containerID: container['containerID'] ?? null,
        },
      },
    };
  });
  const notReady = {
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${crashed.join(' ')}]`,
  };
  status['conditions'] = records(status['conditions']).map((condition) =>
    condition['type'] === 'Ready' || condition['type'] === 'ContainersReady'
      ? { ...condition, ...notReady }
      : condition,
  );
  return status;
}

export function heldUnready(pod: KubeObject): boolean {
  return pod.metadata.annotations?.[READY_ANNOTATION] === 'false';
}

function internalIp(node: KubeObject): string | undefined {
  const address = records(statusOf(node)['addresses']).find((a) => a['type'] === 'InternalIP');
  return typeof address?.['address'] === 'string' ? address['address'] : undefined;
}

/** The node's pod range: spec.podCIDR, or a /24 derived from its name when it has none. */
function podCidr(node: KubeObject): string {
  const cidr = specOf(node)['podCIDR'];
  if (typeof cidr === 'string') {
    try {
      parseCidr(cidr);
      return cidr;
    } catch {
      // fall through to the derived range
    }
  }
  const index = Number.parseInt(hex('pod-cidr', node.metadata.name).slice(0, 4), 16) % 256;
  return `10.244.${index}.0/24`;
}

/** The lowest free address of the node's pod range (from .2, as CNI plugins hand them out). */
function freePodIp(node: KubeObject, podsOnNode: readonly KubeObject[]): string {
  const used = new Set(podsOnNode.map((p) => statusOf(p)['podIP']).filter((ip) => typeof ip === 'string'));
  const cidr = podCidr(node);
  const { prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  for (let offset = 2; offset < size - 1; offset++) {
    const ip = addressIn(cidr, offset);
    if (!used.has(ip)) return ip;
  }
  // An exhausted range still needs an answer; real nodes would refuse more pods through their pod limit.
  return formatIpv4(parseIpv4(addressIn(cidr, 2)));
}

function imageId(image: string): string {
  return `${image.replace(/:[^/:]+$/, '')}@sha256:${hex('image', image)}`;
}

/** The status of `pod` once its containers are started on `node`. */
export function runningStatus(
  pod: KubeObject,
  node: KubeObject,
  podsOnNode: readonly KubeObject[],
  now: string,
): Json {
  const spec = specOf(pod);
  const previous = statusOf(pod);
  const hostIp = internalIp(node) ?? '';
  const ip = spec['hostNetwork'] === true ? hostIp : freePodIp(node, podsOnNode);
  const held = heldUnready(pod);
  const uid = pod.metadata.uid ?? pod.metadata.name;
  const containerStatus = (container: Json): Json => {
    const image = typeof container['image'] === 'string' ? container['image'] : '';
    const name = typeof container['name'] === 'string' ? container['name'] : '';
    return {
      name,
      image,
      imageID: imageId(image),
      containerID: `containerd://${hex(uid, name)}`,
      ready: !held && !failingReadinessProbe(container),
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
      lastState: {},
    };
  };
  const containers = records(spec['containers']).map(containerStatus);
  const unready = containers.filter((c) => c['ready'] !== true).map((c) => String(c['name']));
  const ready = unready.length === 0;
  const notReady = {
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${unready.join(' ')}]`,
  };
  const condition = (type: string, ok: boolean, extra: Json = {}): Json => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(ok ? {} : extra),
  });
  const status: Json = {
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', true),
      condition('Initialized', true),
      condition('Ready', ready, notReady),
      condition('ContainersReady', ready, notReady),
      {
        ...condition('PodScheduled', true),
        ...(records(previous['conditions']).find(
          (c) => c['type'] === 'PodScheduled' && c['status'] === 'True',
        ) ?? {}),
      },
    ],
    hostIP: hostIp,
    hostIPs: hostIp === '' ? [] : [{ ip: hostIp }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: now,
    containerStatuses: containers,
    qosClass: qosClass(spec),
  };
  const inits = records(spec['initContainers']);
  if (inits.length > 0)
    status['initContainerStatuses'] = inits.map((container) => ({
      ...containerStatus(container),
      ready: true,
      started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
    }));
  return status;
}
