/**
 * GraphQL operations of the REST facade: typed declarations, and their parse + validation against the
 * supergraph's API schema, done once per distinct document (docs/architecture.md "Data flows").
 *
 * Every static operation is compiled when the facade is created, so a document that no longer matches the
 * schema stops the gateway at start-up instead of failing the first SMO request. Documents generated per
 * request later (field selectors) go through the same cache.
 */
import { LRUCache } from 'lru-cache';
import { Kind, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';

/** Untyped view of an operation, enough to compile and name it. */
export interface OperationSource {
  /** Operation name: identifies REST-originated calls in router logs and metrics. */
  readonly name: string;
  readonly source: string;
}

/**
 * An operation whose result and variables have known TypeScript types. The types are declared by hand next to
 * the document (until codegen produces them); the phantom member only carries them, it is never set.
 */
export interface GraphOperation<TData, TVariables extends Record<string, unknown>> extends OperationSource {
  readonly phantom?: { readonly data: TData; readonly variables: TVariables };
}

export function graphOperation<TData, TVariables extends Record<string, unknown> = Record<string, never>>(
  name: string,
  source: string,
): GraphOperation<TData, TVariables> {
  return { name, source };
}

export class InvalidOperationError extends Error {
  constructor(operationName: string, problems: readonly string[]) {
    super(`GraphQL operation ${operationName} does not match the supergraph schema: ${problems.join('; ')}`);
    this.name = 'InvalidOperationError';
  }
}

/**
 * Clients choose selectors, so they choose how many distinct documents exist; the cache keeps the most
 * recently used ones. Documents differ only by selection set, and an evicted one is recompiled on its next use.
 */
export const DEFAULT_OPERATION_CACHE_SIZE = 1024;

export class OperationCache {
  readonly #documents: LRUCache<string, DocumentNode>;

  constructor(
    private readonly schema: GraphQLSchema,
    maxEntries: number = DEFAULT_OPERATION_CACHE_SIZE,
  ) {
    this.#documents = new LRUCache<string, DocumentNode>({ max: maxEntries });
  }

  get size(): number {
    return this.#documents.size;
  }

  /** The parsed and validated document of an operation; throws InvalidOperationError when it does not fit. */
  document(operation: OperationSource): DocumentNode {
    const cached = this.#documents.get(operation.source);
    if (cached !== undefined) return cached;
    const document = this.#compile(operation);
    this.#documents.set(operation.source, document);
    return document;
  }

  #compile(operation: OperationSource): DocumentNode {
    let document: DocumentNode;
    try {
      document = parse(operation.source);
    } catch (err) {
      throw new InvalidOperationError(operation.name, [err instanceof Error ? err.message : String(err)]);
    }
    const named = document.definitions.filter(
      (definition) =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === operation.name,
    );
    if (named.length !== 1) {
      throw new InvalidOperationError(operation.name, [
        `expected exactly one operation named ${operation.name}`,
      ]);
    }
    const errors = validate(this.schema, document);
    if (errors.length > 0)
      throw new InvalidOperationError(
        operation.name,
        errors.map((error) => error.message),
      );
    return document;
  }
}
