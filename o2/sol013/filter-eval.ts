/**
 * Evaluation of a CompiledFilter against in-memory objects (the cluster subgraphs' caches).
 *
 * Semantics (SOL013 leaves these open; see docs/sol013.md):
 * - clauses are ANDed;
 * - an array met anywhere along the path (or at its end) matches when ANY element matches;
 * - neq / nin / ncont are the exact negations of eq / in / cont: on an array, "no element equals"; on a
 *   missing attribute, true;
 * - a missing attribute, null, or a value of the wrong type never matches a positive operator (eq, in,
 *   cont, gt, gte, lt, lte);
 * - UUIDs compare case-insensitively; strings compare exactly (cont is a case-sensitive substring test).
 *
 * Speed: a filter is prepared once (per CompiledFilter object, cached in a WeakMap) into flat per-clause
 * records; a call walks the path with an index and compares with a switch. Nothing is allocated per call
 * except for `cont` on numbers inside free-form objects (the number is printed) and UUIDs stored in upper
 * case (lower-cased once per comparison).
 */
import { MAP_KEY_SEGMENT } from './attr-path.ts';
import type { CompiledFilter, CompiledClause } from './filter-compile.ts';
import { hasUpperAscii, numeralValue, parseDecimal, timestampValue, uuidEquals } from './values.ts';

// Value kinds and positive tests, as small integers for cheap switches.
const K_STRING = 0;
const K_UUID = 1;
const K_NUMBER = 2;
const K_BOOLEAN = 3;
const K_DATETIME = 4;
const K_ANY = 5;

const T_EQ = 0;
const T_IN = 1;
const T_GT = 2;
const T_GTE = 3;
const T_LT = 4;
const T_LTE = 5;
const T_CONT = 6;

/** `in` lists at least this long are looked up in a Set instead of scanned. */
const SET_THRESHOLD = 8;

const TESTS: Readonly<Record<CompiledClause['op'], readonly [test: number, negate: boolean]>> = {
  eq: [T_EQ, false],
  neq: [T_EQ, true],
  in: [T_IN, false],
  nin: [T_IN, true],
  cont: [T_CONT, false],
  ncont: [T_CONT, true],
  gt: [T_GT, false],
  gte: [T_GTE, false],
  lt: [T_LT, false],
  lte: [T_LTE, false],
};

const KINDS: Readonly<Record<CompiledClause['type'], number>> = {
  string: K_STRING,
  uuid: K_UUID,
  number: K_NUMBER,
  integer: K_NUMBER,
  boolean: K_BOOLEAN,
  datetime: K_DATETIME,
  any: K_ANY,
};

class PreparedClause {
  readonly segs: readonly string[];
  /** Names that exist on Object.prototype ("constructor", "__proto__"…) must be read as own properties. */
  readonly guarded: readonly boolean[];
  /** The path ends in "@key" inside a free-form map: compare the map's keys. */
  readonly mapKeys: boolean;
  readonly kind: number;
  readonly test: number;
  readonly negate: boolean;
  readonly strs: readonly string[];
  /** Numeric values (numbers, epoch ms; in free-form maps the numeric reading of each value, or NaN). */
  readonly nums: readonly number[];
  readonly bools: readonly boolean[];
  readonly set: ReadonlySet<string | number> | undefined;

  constructor(clause: CompiledClause) {
    this.segs = [...clause.path];
    this.guarded = clause.path.map((name) => name in Object.prototype);
    this.kind = KINDS[clause.type];
    this.mapKeys = this.kind === K_ANY && clause.path[clause.path.length - 1] === MAP_KEY_SEGMENT;
    [this.test, this.negate] = TESTS[clause.op];
    this.strs = clause.values.map((v) => (typeof v === 'string' ? v : String(v)));
    this.nums = clause.values.map((v) =>
      typeof v === 'number' ? v : typeof v === 'string' ? (parseDecimal(v) ?? NaN) : NaN,
    );
    this.bools = clause.values.map((v) => v === true);
    const useSet = this.test === T_IN && clause.values.length >= SET_THRESHOLD;
    this.set =
      !useSet || this.kind === K_BOOLEAN || this.kind === K_ANY
        ? undefined
        : this.kind === K_STRING || this.kind === K_UUID
          ? new Set(this.strs)
          : new Set(this.nums);
  }
}

function testString(c: PreparedClause, v: string): boolean {
  const strs = c.strs;
  switch (c.test) {
    case T_EQ:
      return v === strs[0];
    case T_IN:
      if (c.set !== undefined) return c.set.has(v);
      for (let i = 0; i < strs.length; i++) if (v === strs[i]) return true;
      return false;
    case T_CONT:
      for (let i = 0; i < strs.length; i++) if (v.includes(strs[i]!)) return true;
      return false;
    case T_GT:
      return v > strs[0]!;
    case T_GTE:
      return v >= strs[0]!;
    case T_LT:
      return v < strs[0]!;
    case T_LTE:
      return v <= strs[0]!;
  }
  return false;
}

function testNumber(c: PreparedClause, n: number): boolean {
  const nums = c.nums;
  switch (c.test) {
    case T_EQ:
      return n === nums[0];
    case T_IN:
      if (c.set !== undefined) return c.set.has(n);
      for (let i = 0; i < nums.length; i++) if (n === nums[i]) return true;
      return false;
    case T_GT:
      return n > nums[0]!;
    case T_GTE:
      return n >= nums[0]!;
    case T_LT:
      return n < nums[0]!;
    case T_LTE:
      return n <= nums[0]!;
  }
  return false;
}

function testUuid(c: PreparedClause, v: string): boolean {
  if (c.test === T_EQ) return uuidEquals(v, c.strs[0]!);
  if (c.set !== undefined) return c.set.has(v) || (hasUpperAscii(v) && c.set.has(v.toLowerCase()));
  for (let i = 0; i < c.strs.length; i++) if (uuidEquals(v, c.strs[i]!)) return true;
  return false;
}

/** Free-form values: numbers compare as numbers, strings as strings (as numbers when ordering two numerals). */
function testAny(c: PreparedClause, v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      if (c.test >= T_GT && c.test <= T_LTE && !Number.isNaN(c.nums[0]!)) {
        const n = numeralValue(v);
        if (n !== undefined) return testNumber(c, n);
      }
      return testString(c, v);
    case 'number':
      return c.test === T_CONT ? testString(c, String(v)) : testNumber(c, v);
    case 'boolean':
      return c.test === T_EQ || c.test === T_IN || c.test === T_CONT
        ? testString(c, v ? 'true' : 'false')
        : false;
    default:
      return false;
  }
}

/** The positive test of one scalar value. */
function testLeaf(c: PreparedClause, v: unknown): boolean {
  switch (c.kind) {
    case K_STRING:
      return typeof v === 'string' && testString(c, v);
    case K_UUID:
      return typeof v === 'string' && testUuid(c, v);
    case K_NUMBER:
      return typeof v === 'number' && testNumber(c, v);
    case K_BOOLEAN:
      if (typeof v !== 'boolean') return false;
      for (let i = 0; i < c.bools.length; i++) if (v === c.bools[i]) return true;
      return false;
    case K_DATETIME: {
      const t = typeof v === 'string' ? timestampValue(v) : typeof v === 'number' ? v : NaN;
      return !Number.isNaN(t) && testNumber(c, t);
    }
    default:
      return testAny(c, v);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether any value reached by the clause's path from `value` (starting at segment `from`) passes the
 * positive test. Arrays fan out one level per path step (an array directly inside an array is not
 * entered), which bounds the recursion by the path length whatever the data looks like.
 */
function anyLeaf(c: PreparedClause, value: unknown, from: number): boolean {
  const segs = c.segs;
  let cur = value;
  for (let i = from; i < segs.length; i++) {
    if (typeof cur !== 'object' || cur === null) return false;
    if (Array.isArray(cur)) {
      for (let k = 0; k < cur.length; k++) {
        const el: unknown = cur[k];
        if (isRecord(el) && anyLeaf(c, el, i)) return true;
      }
      return false;
    }
    const obj = cur as Record<string, unknown>;
    if (c.mapKeys && i === segs.length - 1) {
      for (const key in obj) if (Object.hasOwn(obj, key) && testLeaf(c, key)) return true;
      return false;
    }
    const name = segs[i]!;
    cur = c.guarded[i] && !Object.hasOwn(obj, name) ? undefined : obj[name];
  }
  if (Array.isArray(cur)) {
    for (let k = 0; k < cur.length; k++) {
      const el: unknown = cur[k];
      if (!Array.isArray(el) && testLeaf(c, el)) return true;
    }
    return false;
  }
  return testLeaf(c, cur);
}

/** A CompiledFilter made ready for repeated evaluation. */
export class PreparedFilter {
  private readonly clauses: readonly PreparedClause[];

  constructor(filter: CompiledFilter) {
    this.clauses = filter.clauses.map((clause) => new PreparedClause(clause));
  }

  matches(object: unknown): boolean {
    const clauses = this.clauses;
    for (let i = 0; i < clauses.length; i++) {
      const c = clauses[i]!;
      if (anyLeaf(c, object, 0) === c.negate) return false;
    }
    return true;
  }
}

const prepared = new WeakMap<CompiledFilter, PreparedFilter>();

export function prepareFilter(filter: CompiledFilter): PreparedFilter {
  let p = prepared.get(filter);
  if (p === undefined) {
    p = new PreparedFilter(filter);
    prepared.set(filter, p);
  }
  return p;
}

/**
 * Whether `object` passes every clause. Never throws for JSON data. The first call with a given filter
 * object prepares it; hold on to the same CompiledFilter (or a PreparedFilter) across a list scan.
 */
export function matches(filter: CompiledFilter, object: unknown): boolean {
  return prepareFilter(filter).matches(object);
}
