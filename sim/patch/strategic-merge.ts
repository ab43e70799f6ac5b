/**
 * Strategic merge patch (what kubectl apply/patch/label send for built-in kinds): maps merge, `null`
 * deletes, lists merge by their merge key or are replaced, and the `$patch`, `$retainKeys`,
 * `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives are honoured. Never mutates `original`.
 */
import { badRequest } from '../errors.ts';
import { isPlainObject } from '../types.ts';
import type { ListStrategy, StrategyResolver } from './strategic-schema.ts';

const DELETE = Symbol('delete');
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

function isDirectiveKey(key: string): boolean {
  return (
    key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER) || key.startsWith(DELETE_FROM)
  );
}

/** A patch value with its directives removed, for when it is inserted rather than merged. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value))
    return value.filter((v) => !(isPlainObject(v) && v['$patch'] === 'delete')).map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!isDirectiveKey(key) && child !== null) result[key] = stripDirectives(child);
  }
  return result;
}

function sameKey(item: unknown, key: string, value: unknown): boolean {
  return isPlainObject(item) && item[key] === value;
}

function mergeList(
  original: unknown,
  patch: readonly unknown[],
  strategy: ListStrategy,
  path: readonly string[],
  resolve: StrategyResolver,
): unknown[] {
  const replaceAll = patch.find((p) => isPlainObject(p) && p['$patch'] === 'replace');
  if (strategy.kind === 'replace' || replaceAll !== undefined || !Array.isArray(original)) {
    return patch
      .filter((p) => !(isPlainObject(p) && p['$patch'] === 'replace'))
      .map(stripDirectives) as unknown[];
  }
  if (strategy.kind === 'set') {
    const result = [...original];
    for (const item of patch) if (!result.includes(item)) result.push(item);
    return result;
  }
  const result = [...original];
  for (const item of patch) {
    if (!isPlainObject(item) || !Object.hasOwn(item, strategy.key)) {
      result.push(stripDirectives(item));
      continue;
    }
    const keyValue = item[strategy.key];
    const index = result.findIndex((existing) => sameKey(existing, strategy.key, keyValue));
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      const merged = mergeValue(result[index], item, path, resolve);
      if (merged === DELETE) result.splice(index, 1);
      else result[index] = merged;
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

/** Reorders `list` to follow `order` (items `order` does not mention keep their relative order, last). */
function applyOrder(list: unknown[], order: readonly unknown[], strategy: ListStrategy): unknown[] {
  const keyOf = (item: unknown): unknown =>
    strategy.kind === 'merge' && isPlainObject(item) ? item[strategy.key] : item;
  const wanted = order.map(keyOf);
  const rank = (item: unknown): number => {
    const i = wanted.indexOf(keyOf(item));
    return i < 0 ? wanted.length : i;
  };
  return list
    .map((item, position) => ({ item, position, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map((entry) => entry.item);
}

function mergeValue(
  original: unknown,
  patch: unknown,
  path: readonly string[],
  resolve: StrategyResolver,
): unknown {
  if (!isPlainObject(patch)) return patch;
  const directive = patch['$patch'];
  if (directive === 'delete') return DELETE;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined && directive !== 'merge')
    throw badRequest(`unknown patch directive ${JSON.stringify(directive)}`);

  const result: Record<string, unknown> = isPlainObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key)) continue;
    const childPath = [...path, key];
    if (value === null) Reflect.deleteProperty(result, key);
    else if (Array.isArray(value))
      result[key] = mergeList(result[key], value, resolve(childPath), childPath, resolve);
    else if (isPlainObject(value)) {
      const merged = mergeValue(result[key], value, childPath, resolve);
      if (merged === DELETE) Reflect.deleteProperty(result, key);
      else result[key] = merged;
    } else result[key] = value;
  }

  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM) && Array.isArray(value)) {
      const field = key.slice(DELETE_FROM.length);
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((item) => !value.includes(item));
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(SET_ORDER) && Array.isArray(value)) {
      const field = key.slice(SET_ORDER.length);
      const current = result[field];
      if (Array.isArray(current)) result[field] = applyOrder(current, value, resolve([...path, field]));
    }
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) Reflect.deleteProperty(result, key);
  }
  return result;
}

export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  resolve: StrategyResolver,
): unknown {
  if (!isPlainObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
  const merged = mergeValue(original, patch, [], resolve);
  if (merged === DELETE) throw badRequest('a strategic merge patch cannot delete the whole object');
  return merged;
}
