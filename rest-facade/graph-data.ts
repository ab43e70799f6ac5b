/**
 * Typed reads of GraphQL result data. Documents are generated per selection, so results are checked by
 * shape at this edge instead of being cast to hand-written types.
 */
import type { GraphObject } from './models/object-model.ts';

function isObject(value: unknown): value is GraphObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `data[key]`, or undefined. */
export function member(data: unknown, key: string): unknown {
  return isObject(data) ? data[key] : undefined;
}

/** `data[key]` as a list; null when it is not one (a missing owner). */
export function listMember(data: unknown, key: string): readonly unknown[] | null {
  const value = member(data, key);
  return Array.isArray(value) ? value : null;
}

/** `data[key]` as a list of objects, ignoring nulls; empty when absent. */
export function objectsOf(data: unknown, key: string): GraphObject[] {
  return (listMember(data, key) ?? []).filter(isObject);
}

/** A string member of an object, or undefined. */
export function stringMember(item: unknown, key: string): string | undefined {
  const value = member(item, key);
  return typeof value === 'string' ? value : undefined;
}

/** Groups `key` values by `by` values: pools by site, sites by location. Values sorted, unique. */
export function groupIds(items: readonly GraphObject[], by: string, key: string): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const item of items) {
    const group = stringMember(item, by);
    const value = stringMember(item, key);
    if (group === undefined || value === undefined) continue;
    let set = groups.get(group);
    if (set === undefined) groups.set(group, (set = new Set()));
    set.add(value);
  }
  return new Map([...groups].map(([group, values]) => [group, [...values].sort()]));
}
