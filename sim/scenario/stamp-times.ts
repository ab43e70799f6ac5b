/**
 * Fixture expansion leaves wall-clock fields empty so it stays deterministic; this fills them when a
 * scenario starts (condition transition/heartbeat times, pod and container start times), on copies.
 */
import { formatTime } from '../store/metadata.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';

function stampConditions(status: Record<string, unknown>, now: string, fields: readonly string[]): void {
  const conditions = status['conditions'];
  if (!Array.isArray(conditions)) return;
  for (const condition of conditions) {
    if (!isPlainObject(condition)) continue;
    for (const field of fields) condition[field] ??= now;
  }
}

const CONDITION_TIME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Node: ['lastHeartbeatTime', 'lastTransitionTime'],
  Pod: ['lastTransitionTime'],
  Deployment: ['lastUpdateTime', 'lastTransitionTime'],
};

export function stampTimes(objects: readonly KubeObject[], nowMs: number): KubeObject[] {
  const now = formatTime(nowMs);
  return objects.map((original) => {
    const object = structuredClone(original);
    if (object.kind === 'Lease' && isPlainObject(object['spec'])) {
      // Leases use MicroTime (microsecond precision).
      object['spec']['renewTime'] ??= new Date(nowMs).toISOString().replace('Z', '000Z');
    }
    const status = object['status'];
    if (!isPlainObject(status)) return object;
    stampConditions(status, now, CONDITION_TIME_FIELDS[object.kind] ?? ['lastTransitionTime']);
    if (object.kind === 'Pod' && status['phase'] === 'Running') {
      status['startTime'] ??= now;
      for (const container of Array.isArray(status['containerStatuses']) ? status['containerStatuses'] : []) {
        const running =
          isPlainObject(container) && isPlainObject(container['state'])
            ? container['state']['running']
            : undefined;
        if (isPlainObject(running)) running['startedAt'] ??= now;
      }
    }
    return object;
  });
}
