/**
 * Persisted-operations-only mode of `/graphql` (docs/security.md "Persisted operations"): with
 * `graphql.persistedOperations.only`, the public endpoint (HTTP and graphql-ws) runs only the documents of a
 * configured allow-list, keyed by the SHA-256 (hex) of their text. A client sends either the document itself
 * (it must be listed, byte for byte) or only its hash in Apollo's `extensions.persistedQuery.sha256Hash`; anything
 * else is a 400 before parsing. The REST facade's own operations are in-process and never pass here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GatewayConfig } from '../common/config.ts';
import { limitError } from './graphql-limits.ts';

export type PersistedOperations = ReadonlyMap<string, string>;

export function operationHash(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/**
 * The allow-list of the settings (inline `operations` and the JSON `file`, hash → document); undefined when the
 * mode is off. A hash that is not the SHA-256 of its document is a start-up error: it could never match.
 */
export function persistedOperationsOf(
  settings: GatewayConfig['graphql']['persistedOperations'],
): PersistedOperations | undefined {
  if (!settings.only) return undefined;
  const entries: Record<string, unknown> = {
    ...(settings.file === undefined ? {} : (JSON.parse(readFileSync(settings.file, 'utf8')) as object)),
    ...settings.operations,
  };
  const operations = new Map<string, string>();
  for (const [hash, document] of Object.entries(entries)) {
    if (typeof document !== 'string' || operationHash(document) !== hash.toLowerCase())
      throw new Error(`graphql.persistedOperations: ${hash} is not the SHA-256 of its document`);
    operations.set(hash.toLowerCase(), document);
  }
  return operations;
}

/** What a client sent: a document, and/or Apollo's persisted query extension. */
export interface OperationParams {
  readonly query?: string | null | undefined;
  readonly extensions?: Record<string, unknown> | null | undefined;
}

/** The document to run for the request, or a 400 GraphQL error when it is not on the allow-list. */
export function allowedDocument(params: OperationParams, operations: PersistedOperations): string {
  if (typeof params.query === 'string' && params.query.length > 0) {
    if (operations.has(operationHash(params.query))) return params.query;
    throw limitError('only persisted operations are accepted here', 'PERSISTED_QUERY_ONLY');
  }
  const persisted = params.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined;
  const hash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : undefined;
  const document = hash === undefined ? undefined : operations.get(hash);
  if (document === undefined) throw limitError('unknown persisted operation', 'PERSISTED_QUERY_NOT_FOUND');
  return document;
}

/** The HTTP side: the runtime sees only allowed documents (graphql-ws checks in the router's onSubscribe). */
export function usePersistedOperationsOnly(operations: PersistedOperations): GatewayPlugin {
  return {
    onParams({ params, setParams }) {
      const query = allowedDocument(params as OperationParams, operations);
      if (query !== params.query) setParams({ ...params, query });
    },
  };
}
