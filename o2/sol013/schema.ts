/**
 * The attribute schema of an O2 object, as the filter compiler and the selector parser see it: which
 * attribute paths exist and what type their values have. It is a plain-JSON description, so the API layer
 * can declare it next to the route without importing GraphQL or OpenAPI machinery.
 */

export type ScalarType = 'string' | 'uuid' | 'number' | 'integer' | 'boolean' | 'datetime';

/**
 * `'object'` is a free-form map (such as `extensions`): any nested path is allowed and values are compared
 * as strings or numbers, whatever they turn out to be. `{ array }` is transparent in paths: `elements/x`
 * addresses `x` in every element. `{ object }` is a structured attribute with a known schema.
 */
export type AttrType =
  ScalarType | 'object' | { readonly array: AttrType } | { readonly object: AttributeSchema };

export interface AttributeSchema {
  readonly [attr: string]: AttrType;
}

const SCALARS: ReadonlySet<string> = new Set<ScalarType>([
  'string',
  'uuid',
  'number',
  'integer',
  'boolean',
  'datetime',
]);

export function isScalarType(type: AttrType): type is ScalarType {
  return typeof type === 'string' && SCALARS.has(type);
}

/** The type of one element, through any number of array levels. */
export function unwrapArrays(type: AttrType): AttrType {
  let t = type;
  while (typeof t === 'object' && 'array' in t) t = t.array;
  return t;
}

/** SOL013 calls structured and multi-valued attributes "complex"; only those are affected by `fields`. */
export function isComplexType(type: AttrType): boolean {
  return !isScalarType(type);
}

/** Own-property lookup: a path segment such as "constructor" must not find Object.prototype members. */
export function attributeOf(schema: AttributeSchema, name: string): AttrType | undefined {
  return Object.hasOwn(schema, name) ? schema[name] : undefined;
}

export type StepResult =
  | { readonly ok: true; readonly type: AttrType; readonly freeForm: boolean }
  | { readonly ok: false; readonly reason: 'unknown' | 'below-scalar' };

/**
 * Steps from an attribute of type `parent` (arrays unwrapped) into its member `name`. Inside a free-form
 * object every name exists and is itself free-form.
 */
export function stepInto(parent: AttrType, name: string): StepResult {
  const t = unwrapArrays(parent);
  if (t === 'object') return { ok: true, type: 'object', freeForm: true };
  if (typeof t === 'object' && 'object' in t) {
    const child = attributeOf(t.object, name);
    return child === undefined
      ? { ok: false, reason: 'unknown' }
      : { ok: true, type: child, freeForm: false };
  }
  return { ok: false, reason: 'below-scalar' };
}

export type PathResolution =
  | { readonly ok: true; readonly type: AttrType; readonly freeForm: boolean }
  | { readonly ok: false; readonly reason: 'unknown' | 'below-scalar'; readonly at: number };

/** Resolves a whole path from the object's root; `freeForm` is true once the path entered a free-form map. */
export function resolvePath(schema: AttributeSchema, path: readonly string[]): PathResolution {
  let type: AttrType = { object: schema };
  let freeForm = false;
  for (let i = 0; i < path.length; i++) {
    const step = stepInto(type, path[i]!);
    if (!step.ok) return { ok: false, reason: step.reason, at: i };
    type = step.type;
    freeForm = step.freeForm;
  }
  return { ok: true, type, freeForm };
}
