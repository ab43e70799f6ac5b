/**
 * Answers repeated inventory reads of the cluster subgraph from memory, exactly.
 *
 * Every inventory answer is a function of the operation, its variables, the caller and the O2 inventory of
 * the cluster — and the inventory advances its cursor with every change it makes (inventory.ts emits one
 * event per O2 state change). So a serialized answer stays valid while the cursor has not moved: a hit is
 * never stale, and nothing has to be invalidated. An SMO polling a page of 100 resources (≈ 450 KB of JSON)
 * then costs the subgraph one map lookup instead of a GraphQL execution and a serialization.
 *
 * Only operations that read nothing but inventory are cached: every field they select belongs to an O2
 * inventory type (or the Query fields returning them) and returns a scalar, an enum or another inventory
 * type. Topology fields (`node`, `cluster`, pods, workloads) read the informer caches directly, which move
 * without the cursor, so an operation selecting any of them is executed every time. Whoever adds a field to
 * an inventory type must keep it a function of the inventory state, or return a non-inventory type.
 */
import { LRUCache } from 'lru-cache';
import {
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  TypeInfo,
  getNamedType,
  isEnumType,
  isScalarType,
  parse,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { AuthContext } from '../../common/auth.ts';

/** The O2 inventory types: their fields are functions of the inventory state (see above). */
export const INVENTORY_TYPES: ReadonlySet<string> = new Set([
  'DeploymentManager',
  'ResourcePool',
  'Resource',
  'ResourceType',
  'OCloudSite',
  'Location',
  'AlarmDictionary',
  'AlarmDefinition',
]);

export interface CachedAnswer {
  readonly cursor: string;
  readonly body: string;
}

export interface ResponseCacheOptions {
  /** Distinct answers kept (least recently used first out). */
  readonly maxEntries?: number;
  /** Largest answer kept, in UTF-16 code units. */
  readonly maxBodyLength?: number;
}

export class InventoryResponseCache {
  readonly #answers: LRUCache<string, CachedAnswer>;
  /** Whether a query text reads inventory only; bounded like the answers. */
  readonly #cacheable: LRUCache<string, boolean>;
  readonly #maxBodyLength: number;

  constructor(
    private readonly schema: GraphQLSchema,
    options: ResponseCacheOptions = {},
  ) {
    const maxEntries = options.maxEntries ?? 256;
    this.#answers = new LRUCache<string, CachedAnswer>({ max: maxEntries });
    this.#cacheable = new LRUCache<string, boolean>({ max: maxEntries * 4 });
    this.#maxBodyLength = options.maxBodyLength ?? 8 * 1024 * 1024;
  }

  /**
   * The cache key of a request, or undefined when the request may not be cached. The key holds everything the
   * answer depends on besides the inventory: the document, the operation, the variables and the caller
   * (tenant scoping makes answers differ per caller).
   */
  keyOf(body: unknown, auth: AuthContext): string | undefined {
    if (typeof body !== 'object' || body === null) return undefined;
    const { query, operationName, variables } = body as Record<string, unknown>;
    if (typeof query !== 'string' || !this.#readsInventoryOnly(query)) return undefined;
    const { requestId: _differsPerRequest, ...caller } = auth;
    return JSON.stringify([query, operationName ?? null, variables ?? null, caller]);
  }

  get(key: string, cursor: string): string | undefined {
    const hit = this.#answers.get(key);
    if (hit === undefined) return undefined;
    if (hit.cursor !== cursor) {
      this.#answers.delete(key);
      return undefined;
    }
    return hit.body;
  }

  set(key: string, cursor: string, body: string): void {
    if (body.length > this.#maxBodyLength) return;
    this.#answers.set(key, { cursor, body });
  }

  #readsInventoryOnly(query: string): boolean {
    let known = this.#cacheable.get(query);
    if (known === undefined) {
      known = readsInventoryOnly(this.schema, query);
      this.#cacheable.set(query, known);
    }
    return known;
  }
}

/** Whether every field of every operation in `query` reads the inventory only (see the module comment). */
export function readsInventoryOnly(schema: GraphQLSchema, query: string): boolean {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false; // Apollo answers the syntax error; nothing to cache.
  }
  const queryType = schema.getQueryType();
  const typeInfo = new TypeInfo(schema);
  let inventoryOnly = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation !== 'query') inventoryOnly = false;
      },
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        const type = typeInfo.getType();
        if (
          parent === null ||
          parent === undefined ||
          type === null ||
          type === undefined ||
          node.name.value.startsWith('__')
        ) {
          inventoryOnly = false;
          return;
        }
        const named = getNamedType(type);
        if (named === undefined) {
          inventoryOnly = false;
          return;
        }
        const returnsInventory = isScalarType(named) || isEnumType(named) || INVENTORY_TYPES.has(named.name);
        const onInventory = INVENTORY_TYPES.has(parent.name) || parent.name === queryType?.name;
        if (!returnsInventory || !onInventory) inventoryOnly = false;
      },
      FragmentSpread() {
        // Fragments are visited where they are defined; their fields are checked there.
      },
      [Kind.DIRECTIVE]() {
        // @skip/@include change which fields run, not what they read.
      },
    }),
  );
  return inventoryOnly;
}
