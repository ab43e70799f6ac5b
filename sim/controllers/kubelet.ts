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
