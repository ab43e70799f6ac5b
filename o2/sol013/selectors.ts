/**
 * SOL013 attribute selectors (ETSI GS NFV-SOL 013 §5.3): `all_fields`, `fields`, `exclude_fields`,
 * `exclude_default` → a Selection (plain JSON), applied to response objects and used to trim the GraphQL
 * selection set.
 *
 * What the response holds, per parameter combination (SOL013 Table 5.3.2-1; "complex" = structured or
 * multi-valued, i.e. not a scalar):
 *   (none), exclude_default   all attributes except the object's default-excluded ones
 *   all_fields                all attributes
 *   fields=<list>             all attributes except optional complex ones not in <list>; the
 *                             default-excluded ones count as optional complex at any depth
 *                             (spec.fieldsMode 'only': only the mandatory attributes and <list>)
 *   exclude_default + fields  all attributes except default-excluded ones not in <list>
 *   exclude_fields=<list>     all attributes except those in <list>
 * Every other combination is a 400. Mandatory attributes (spec.mandatory) are never removed: SOL013 lets
 * selectors omit only attributes whose cardinality allows absence.
 */
import { MAP_KEY_SEGMENT, parseAttrPath } from './attr-path.ts';
import { Sol013Error } from './errors.ts';
import {
  attributeOf,
  isComplexType,
  resolvePath,
  stepInto,
  unwrapArrays,
  type AttrType,
  type AttributeSchema,
} from './schema.ts';

/**
 * Which attributes to keep. `'all'`: the whole value. `include`: only these members, each with its own
 * selection. `except`: every member, minus those mapped to null, with those mapped to a Selection
 * trimmed — the form used inside free-form objects, whose members are not known in advance. A selection
 * below an array applies to each element.
 */
export type Selection =
  | 'all'
  | { readonly include: { readonly [attr: string]: Selection } }
  | { readonly except: { readonly [attr: string]: Selection | null } };

export interface SelectorQuery {
  all_fields?: string | undefined;
  fields?: string | undefined;
  exclude_fields?: string | undefined;
  exclude_default?: string | undefined;
}

export interface SelectorSpec {
  readonly schema: AttributeSchema;
  /** The object's SOL013 "default exclude list" (attribute paths). */
  readonly defaultExcluded: readonly (readonly string[])[];
  /** Top-level attributes with a lower cardinality bound of at least 1; never removed. Default: none. */
  readonly mandatory?: readonly string[];
  /**
   * How `fields` without `exclude_default` is read. 'sol013' (default) follows SOL013 Table 5.3.2-1;
   * 'only' follows the O-RAN O2IMS reading (oran-o2ims "fields": the listed fields only).
   */
  readonly fieldsMode?: 'sol013' | 'only';
}

/** Bounds on untrusted input, per parameter. */
export const SELECTOR_LIMITS = { maxLength: 4096, maxEntries: 64 } as const;

// ---------------------------------------------------------------------------------------------------
// Query parameters → attribute paths

function selectorError(message: string): Sol013Error {
  return new Sol013Error('SELECTOR', `invalid attribute selector: ${message}`);
}

/** A flag parameter: present without a value or "true" turns it on, "false" (oran-o2ims' default) off. */
function parseFlag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === '' || value === 'true') return true;
  throw selectorError(`${name} takes no value, "true" or "false"`);
}

function parsePathList(
  value: string | undefined,
  name: string,
  schema: AttributeSchema,
): string[][] | undefined {
  if (value === undefined) return undefined;
  if (value.length > SELECTOR_LIMITS.maxLength) {
    throw selectorError(`${name} is longer than ${SELECTOR_LIMITS.maxLength} characters`);
  }
  const entries = value.split(',');
  if (entries.length > SELECTOR_LIMITS.maxEntries) {
    throw selectorError(`${name} lists more than ${SELECTOR_LIMITS.maxEntries} attributes`);
  }
  return entries.map((entry, index) => {
    const n = index + 1;
    const text = entry.trim();
    if (text === '') throw selectorError(`entry ${n} of ${name} is empty`);
    const parsed = parseAttrPath(text);
    if (!parsed.ok) throw selectorError(`entry ${n} of ${name}: ${parsed.reason}`);
    if (parsed.path.includes(MAP_KEY_SEGMENT))
      throw selectorError(`entry ${n} of ${name}: "@key" is not a selector`);
    const resolved = resolvePath(schema, parsed.path);
    if (!resolved.ok) {
      throw selectorError(
        resolved.reason === 'unknown'
          ? `entry ${n} of ${name} is not an attribute of this object`
          : `entry ${n} of ${name} goes below a simple attribute`,
      );
    }
    return parsed.path;
  });
}

// ---------------------------------------------------------------------------------------------------
// The working tree: mutable while the parameters are applied, then frozen into a Selection.

type Work =
  | { readonly kind: 'all' }
  | { readonly kind: 'include'; readonly members: Map<string, Work> }
  | { readonly kind: 'except'; readonly members: Map<string, Work | null> };

const ALL: Work = { kind: 'all' };

function includeOnly(names: Iterable<string>): Work {
  return { kind: 'include', members: new Map([...names].map((name) => [name, ALL])) };
}

/** `all` made explicit so that one member can be taken out. */
function expand(type: AttrType): Work {
  const t = unwrapArrays(type);
  return typeof t === 'object' && 'object' in t
    ? includeOnly(Object.keys(t.object))
    : { kind: 'except', members: new Map() };
}

function memberType(type: AttrType, name: string): AttrType {
  const step = stepInto(type, name);
  // Paths are resolved against the schema before they get here.
  return step.ok ? step.type : 'object';
}

function includePath(node: Work, type: AttrType, path: readonly string[], i: number): Work {
  if (node.kind === 'all') return node;
  const name = path[i]!;
  const last = i === path.length - 1;
  const child = node.members.get(name);
  if (node.kind === 'except') {
    if (child === undefined) return node; // already kept whole
    if (last) node.members.delete(name);
    else node.members.set(name, includePath(child ?? includeOnly([]), memberType(type, name), path, i + 1));
    return node;
  }
  node.members.set(
    name,
    last ? ALL : includePath(child ?? includeOnly([]), memberType(type, name), path, i + 1),
  );
  return node;
}

function excludePath(start: Work, type: AttrType, path: readonly string[], i: number): Work {
  const node = start.kind === 'all' ? expand(type) : start;
  const name = path[i]!;
  const last = i === path.length - 1;
  if (node.kind === 'include') {
    const child = node.members.get(name);
    if (child === undefined) return node;
    if (last) node.members.delete(name);
    else node.members.set(name, excludePath(child, memberType(type, name), path, i + 1));
  } else if (node.kind === 'except') {
    const child = node.members.get(name);
    if (last) node.members.set(name, null);
    else if (child !== null)
      node.members.set(name, excludePath(child ?? ALL, memberType(type, name), path, i + 1));
  }
  return node;
}

/** Assigns an own property even for the name "__proto__", which plain assignment would treat as the prototype. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function freeze(work: Work, type: AttrType): Selection {
  if (work.kind === 'all') return 'all';
  if (work.kind === 'except') {
    if (work.members.size === 0) return 'all';
    const except: Record<string, Selection | null> = {};
    for (const [name, child] of work.members)
      setOwn(except, name, child === null ? null : freeze(child, memberType(type, name)));
    return { except };
  }
  const include: Record<string, Selection> = {};
  let everything = true;
  for (const [name, child] of work.members) {
    const sel = freeze(child, memberType(type, name));
    if (sel !== 'all') everything = false;
    setOwn(include, name, sel);
  }
  // Collapse to 'all' when a known object keeps every member whole: cheaper to apply, and it keeps
  // members the schema does not list.
  const t = unwrapArrays(type);
  if (
    everything &&
    typeof t === 'object' &&
    'object' in t &&
    Object.keys(t.object).every((k) => work.members.has(k))
  ) {
    return 'all';
  }
  return { include };
}

// ---------------------------------------------------------------------------------------------------

/**
 * Validates the selector parameters against the object's spec and returns what to keep. Throws
 * Sol013Error SELECTOR for unknown attributes, empty entries, bad flag values and combinations SOL013
 * forbids (all_fields with anything else; fields with exclude_fields; exclude_fields with exclude_default).
 */
export function parseSelectors(query: SelectorQuery, spec: SelectorSpec): Selection {
  const { schema } = spec;
  const allFields = parseFlag(query.all_fields, 'all_fields');
  const excludeDefault = parseFlag(query.exclude_default, 'exclude_default');
  const fields = parsePathList(query.fields, 'fields', schema);
  const excludeFields = parsePathList(query.exclude_fields, 'exclude_fields', schema);

  if (allFields && (fields !== undefined || excludeFields !== undefined || excludeDefault)) {
    throw selectorError('all_fields cannot be combined with other selectors');
  }
  if (fields !== undefined && excludeFields !== undefined) {
    throw selectorError('fields and exclude_fields cannot be combined');
  }
  if (excludeFields !== undefined && excludeDefault) {
    throw selectorError('exclude_fields and exclude_default cannot be combined');
  }
  if (allFields) return 'all';

  const root: AttrType = { object: schema };
  const names = Object.keys(schema);
  const mandatory = new Set(spec.mandatory ?? []);

  const withoutDefaults = (start: Work): Work => {
    let tree = start;
    for (const path of spec.defaultExcluded) {
      if (path.length === 0 || !resolvePath(schema, path).ok) {
        throw new Error('SOL013 selector spec: defaultExcluded names an unknown attribute');
      }
      tree = excludePath(tree, root, path, 0);
    }
    return tree;
  };

  let tree: Work;
  if (excludeFields !== undefined) {
    tree = includeOnly(names);
    for (const path of excludeFields) {
      if (path.length === 1 && mandatory.has(path[0]!)) continue;
      tree = excludePath(tree, root, path, 0);
    }
  } else if (fields !== undefined && !excludeDefault) {
    // Default-excluded attributes are optional complex ones too, so they stay out unless listed, nested
    // ones (below a kept attribute) included: `fields` never returns more than `exclude_default&fields`.
    const optionalComplex = (name: string): boolean =>
      !mandatory.has(name) && isComplexType(attributeOf(schema, name)!);
    const base =
      spec.fieldsMode === 'only'
        ? names.filter((n) => mandatory.has(n))
        : names.filter((n) => !optionalComplex(n));
    tree = withoutDefaults(includeOnly(base));
    for (const path of fields) tree = includePath(tree, root, path, 0);
  } else {
    tree = withoutDefaults(includeOnly(names));
    for (const path of fields ?? []) tree = includePath(tree, root, path, 0);
  }
  return freeze(tree, root);
}

// ---------------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The selected part of `value`, as a new object (arrays are mapped element by element). Returns `value`
 * itself where the selection is 'all' — nothing is copied that is not trimmed. Values that are not
 * objects where the selection expects one are kept as they are.
 */
export function applySelection(selection: Selection, value: unknown): unknown {
  if (selection === 'all') return value;
  if (Array.isArray(value)) return value.map((element: unknown) => applySelection(selection, element));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  if ('include' in selection) {
    const include = selection.include;
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(include, key)) setOwn(out, key, applySelection(include[key]!, value[key]));
    }
  } else {
    const except = selection.except;
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(except, key)) setOwn(out, key, value[key]);
      else {
        const sub = except[key];
        if (sub !== null && sub !== undefined) setOwn(out, key, applySelection(sub, value[key]));
      }
    }
  }
  return out;
}

/** The top-level attributes to fetch (for a GraphQL selection set), or 'all'. */
export function selectedTopLevel(selection: Selection): Set<string> | 'all' {
  return selection !== 'all' && 'include' in selection ? new Set(Object.keys(selection.include)) : 'all';
}
