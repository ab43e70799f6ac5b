/**
 * Server-side apply, approximated: the applied configuration is merged into the live object (strategic
 * merge for built-ins, merge patch for custom resources), and fields that the same field manager applied
 * last time but no longer applies are removed — the observable effect of SSA field ownership for the
 * single-manager case (Helm 4 upgrades, `kubectl apply --server-side`). Conflicts between managers are
 * not modelled.
 */
import type { ResourceType } from '../resources/resource-type.ts';
import { isPlainObject } from '../types.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import type { StrategyResolver } from './strategic-schema.ts';
import { builtinStrategies } from './strategic-schema.ts';

/** Identity fields never removed, even when a later configuration omits them. */
const KEPT = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/** A patch fragment deleting what `previous` set and `next` does not. */
function removed(
  previous: unknown,
  next: unknown,
  path: readonly string[],
  resolve: StrategyResolver | undefined,
): unknown {
  if (isPlainObject(previous) && isPlainObject(next)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(previous)) {
      const childPath = [...path, key];
      if (KEPT.has(childPath.join('.'))) continue;
      if (!Object.hasOwn(next, key)) out[key] = null;
      else {
        const child = removed(value, next[key], childPath, resolve);
        if (child !== undefined) out[key] = child;
      }
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (Array.isArray(previous) && Array.isArray(next) && resolve !== undefined) {
    const strategy = resolve(path);
    if (strategy.kind !== 'merge') return undefined;
    const entries: unknown[] = [];
    for (const item of previous) {
      if (!isPlainObject(item) || !Object.hasOwn(item, strategy.key)) continue;
      const keyValue = item[strategy.key];
      const counterpart = next.find((n) => isPlainObject(n) && n[strategy.key] === keyValue);
      if (counterpart === undefined) entries.push({ [strategy.key]: keyValue, $patch: 'delete' });
      else {
        const child = removed(item, counterpart, path, resolve);
        if (child !== undefined)
          entries.push({ ...(child as Record<string, unknown>), [strategy.key]: keyValue });
      }
    }
    return entries.length === 0 ? undefined : entries;
  }
  return undefined;
}

/** Adds removal markers to the applied configuration (list entries are appended; the merge applies them in order). */
function withRemovals(applied: unknown, removals: unknown): unknown {
  if (removals === undefined) return applied;
  if (Array.isArray(applied) && Array.isArray(removals)) return [...applied, ...removals];
  if (!isPlainObject(applied) || !isPlainObject(removals)) return applied;
  const out: Record<string, unknown> = { ...applied };
  for (const [key, value] of Object.entries(removals))
    out[key] = Object.hasOwn(applied, key) ? withRemovals(applied[key], value) : value;
  return out;
}

export function serverSideApply(
  current: unknown,
  applied: Record<string, unknown>,
  previous: unknown,
  type: ResourceType,
): unknown {
  const resolve = type.custom ? undefined : builtinStrategies(type.kind);
  const patch = withRemovals(
    applied,
    previous === undefined ? undefined : removed(previous, applied, [], resolve),
  );
  return resolve === undefined
    ? applyMergePatch(current, patch)
    : applyStrategicMergePatch(current, patch, resolve);
}
