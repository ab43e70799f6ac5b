/**
 * From a parsed attribute selection to (1) the GraphQL selection set that fetches exactly the selected
 * attributes and (2) the O2 JSON of a graph object. Top-level attributes that are not selected are neither
 * requested from the graph nor computed; selections below the top level are applied to the shaped object
 * with `applySelection` (inside free-form `extensions` the graph cannot select anyway).
 */
import { applySelection, selectedTopLevel } from '../../o2/sol013/index.ts';
import type { Selection } from '../../o2/sol013/index.ts';
import type { GraphObject, ObjectModel, ShapeContext } from './object-model.ts';

/** Top-level attribute names to produce, in the model's order. */
export type AttributeSet = ReadonlySet<string> | 'all';

export function innerSelection(selection: Selection, name: string): Selection {
  if (selection === 'all') return 'all';
  if ('include' in selection) return selection.include[name] ?? 'all';
  return selection.except[name] ?? 'all';
}

/**
 * The attributes a request produces: the selected ones, the id (always: pages are cut by it) and those the
 * gateway-side filter reads.
 */
export function attributesToProduce(
  model: ObjectModel,
  selection: Selection,
  extra: Iterable<string> = [],
): AttributeSet {
  const top = selectedTopLevel(selection);
  if (top === 'all') return 'all';
  const names = new Set(top);
  names.add(model.idAttribute);
  for (const name of extra) names.add(name);
  return names;
}

/** The GraphQL selection set (without braces) that fetches `attributes` of the model. */
export function graphSelectionOf(model: ObjectModel, selection: Selection, attributes: AttributeSet): string {
  const parts = new Set<string>();
  for (const [name, attribute] of Object.entries(model.attributes)) {
    if (attributes !== 'all' && !attributes.has(name)) continue;
    const text = attribute.graph?.(innerSelection(selection, name));
    if (text !== undefined && text !== '') parts.add(text);
  }
  return [...parts].join(' ');
}

/** The O2 object for a graph object: the produced attributes in the model's order, absent values left out. */
export function shapeObject(
  model: ObjectModel,
  item: GraphObject,
  attributes: AttributeSet,
  context: ShapeContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(model.attributes)) {
    if (attributes !== 'all' && !attributes.has(name)) continue;
    const value = attribute.read(item, context);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Trims an already shaped object to the selection (nested paths, and attributes produced only for a filter). */
export function selectFrom(selection: Selection, shaped: Record<string, unknown>): unknown {
  return applySelection(selection, shaped);
}
