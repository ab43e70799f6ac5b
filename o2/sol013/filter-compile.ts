/**
 * FilterExpr + AttributeSchema → CompiledFilter: every attribute path is checked against the object's
 * schema, every operator against the attribute's type, and every value converted once to the type it is
 * compared with (numbers, booleans, lower-case UUIDs, epoch milliseconds). The result is plain JSON so
 * the REST facade can send it to the cluster subgraphs, which evaluate it against their caches.
 */
import { MAP_KEY_SEGMENT } from './attr-path.ts';
import { Sol013Error } from './errors.ts';
import {
  FILTER_LIMITS,
  FILTER_OPS,
  SINGLE_VALUE_OPS,
  type FilterExpr,
  type FilterOp,
} from './filter-syntax.ts';
import { isScalarType, stepInto, type AttrType, type AttributeSchema, type ScalarType } from './schema.ts';
import { parseBoolean, parseDateTime, parseDecimal, parseInteger, parseUuid } from './values.ts';

/** What a clause compares: a scalar of a known type, or `'any'` for values inside a free-form object. */
export type LeafType = ScalarType | 'any';

export type CompiledValue = string | number | boolean;

export interface CompiledClause {
  readonly op: FilterOp;
  readonly path: readonly string[];
  readonly type: LeafType;
  /** Converted per `type`: numbers for number/integer/datetime (epoch ms), booleans, lower-case uuids. */
  readonly values: readonly CompiledValue[];
}

export interface CompiledFilter {
  readonly v: 1;
  readonly clauses: readonly CompiledClause[];
}

const ORDERED: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'];
const EQUALITY: readonly FilterOp[] = ['eq', 'neq', 'in', 'nin'];

/**
 * Which operators make sense for which type. Ordering a UUID or a boolean has no meaning, and substring
 * search is defined on text only; rejecting those up front beats answering with a silently empty list.
 */
export const OPS_BY_TYPE: Readonly<Record<LeafType, ReadonlySet<FilterOp>>> = {
  string: new Set(FILTER_OPS),
  any: new Set(FILTER_OPS),
  uuid: new Set(EQUALITY),
  boolean: new Set(EQUALITY),
  number: new Set(ORDERED),
  integer: new Set(ORDERED),
  datetime: new Set(ORDERED),
};

const TYPE_NAMES: Readonly<Record<ScalarType, string>> = {
  string: 'a string',
  uuid: 'a UUID',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  datetime: 'an RFC 3339 date-time',
};

function convert(type: LeafType, text: string): CompiledValue | undefined {
  switch (type) {
    case 'string':
    case 'any':
      return text;
    case 'uuid':
      return parseUuid(text);
    case 'number':
      return parseDecimal(text);
    case 'integer':
      return parseInteger(text);
    case 'boolean':
      return parseBoolean(text);
    case 'datetime':
      return parseDateTime(text);
  }
}

interface Leaf {
  readonly type: LeafType;
  /** How the attribute is named in messages: its path when every name is in the schema, else the clause. */
  readonly label: string;
}

function resolveLeaf(schema: AttributeSchema, path: readonly string[], n: number): Leaf {
  let type: AttrType = { object: schema };
  let freeForm = false;
  for (let i = 0; i < path.length; i++) {
    const name = path[i]!;
    const step = stepInto(type, name);
    if (!step.ok) {
      throw new Sol013Error(
        'FILTER_ATTRIBUTE',
        step.reason === 'unknown'
          ? `invalid filter: unknown attribute in clause ${n}`
          : `invalid filter: attribute path in clause ${n} goes below a simple attribute`,
      );
    }
    if (step.freeForm && name === MAP_KEY_SEGMENT && i !== path.length - 1) {
      throw new Sol013Error(
        'FILTER_ATTRIBUTE',
        `invalid filter: "@key" must end the attribute path (clause ${n})`,
      );
    }
    type = step.type;
    freeForm = step.freeForm;
  }
  const label = freeForm ? `the attribute of clause ${n}` : `attribute '${path.join('/')}' (clause ${n})`;
  if (freeForm) return { type: 'any', label };
  let element = type;
  while (typeof element === 'object' && 'array' in element) element = element.array;
  if (!isScalarType(element)) {
    throw new Sol013Error(
      'FILTER_ATTRIBUTE',
      `invalid filter: ${label} is structured; filter on one of its members`,
    );
  }
  return { type: element, label };
}

/**
 * Validates `expr` against the object's schema and converts its values. Throws Sol013Error with
 * FILTER_ATTRIBUTE (unknown or structured attribute), FILTER_OPERATOR (operator not defined for the
 * attribute's type) or FILTER_TYPE (a value that does not convert).
 */
export function compileFilter(expr: FilterExpr, schema: AttributeSchema): CompiledFilter {
  const clauses = expr.clauses.map((clause, index): CompiledClause => {
    const n = index + 1;
    const leaf = resolveLeaf(schema, clause.path, n);
    if (!OPS_BY_TYPE[leaf.type].has(clause.op)) {
      throw new Sol013Error(
        'FILTER_OPERATOR',
        `invalid filter: operator ${clause.op} is not defined for ${leaf.label}`,
      );
    }
    const values = clause.values.map((text) => {
      const value = convert(leaf.type, text);
      if (value === undefined) {
        // leaf.type is a ScalarType here: string and any accept every text.
        throw new Sol013Error(
          'FILTER_TYPE',
          `invalid filter: a value for ${leaf.label} is not ${TYPE_NAMES[leaf.type as ScalarType]}`,
        );
      }
      return value;
    });
    return { op: clause.op, path: [...clause.path], type: leaf.type, values };
  });
  return { v: 1, clauses };
}

// ---------------------------------------------------------------------------------------------------
// The wire edge: a CompiledFilter arrives at a subgraph as JSON and is checked before it is trusted.

const LEAF_TYPES: ReadonlySet<string> = new Set<LeafType>([
  'string',
  'uuid',
  'number',
  'integer',
  'boolean',
  'datetime',
  'any',
]);
const OP_NAMES: ReadonlySet<string> = new Set(FILTER_OPS);

function valueFits(type: LeafType, value: unknown): value is CompiledValue {
  switch (type) {
    case 'string':
    case 'any':
      return typeof value === 'string';
    case 'uuid':
      return typeof value === 'string' && parseUuid(value) === value;
    case 'number':
    case 'datetime':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Checks that a value received as JSON (a GraphQL argument) is a well-formed CompiledFilter. The shape is
 * checked, not the schema: the sender compiled it against the schema. Throws Sol013Error FILTER_SYNTAX.
 */
export function asCompiledFilter(json: unknown): CompiledFilter {
  const bad = (): Sol013Error => new Sol013Error('FILTER_SYNTAX', 'invalid compiled filter');
  if (typeof json !== 'object' || json === null) throw bad();
  const { v, clauses } = json as { v?: unknown; clauses?: unknown };
  if (v !== 1 || !Array.isArray(clauses) || clauses.length > FILTER_LIMITS.maxClauses) throw bad();
  const checked = clauses.map((item: unknown): CompiledClause => {
    if (typeof item !== 'object' || item === null) throw bad();
    const { op, path, type, values } = item as Record<string, unknown>;
    if (typeof op !== 'string' || !OP_NAMES.has(op) || typeof type !== 'string' || !LEAF_TYPES.has(type))
      throw bad();
    const leafType = type as LeafType;
    if (!isStringArray(path) || path.length === 0 || !Array.isArray(values) || values.length === 0)
      throw bad();
    if (!OPS_BY_TYPE[leafType].has(op as FilterOp)) throw bad();
    if (SINGLE_VALUE_OPS.has(op as FilterOp) && values.length !== 1) throw bad();
    const typed = values.map((value: unknown) => {
      if (!valueFits(leafType, value)) throw bad();
      return value;
    });
    return { op: op as FilterOp, path: [...path], type: leafType, values: typed };
  });
  return { v: 1, clauses: checked };
}
