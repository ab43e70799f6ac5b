/**
 * Prometheus series of the GraphQL operations the router executes (HTTP, graphql-ws and the REST facade's
 * in-process calls alike): `netweave_graphql_operations_total` and
 * `netweave_graphql_operation_duration_seconds` by operation type, name and outcome.
 *
 * Outcomes: `ok` (no errors), `partial` (data and errors: a shard was down), `error` (errors, no data),
 * `invalid` (refused by validation before execution). Operation names are chosen by clients, so the label is
 * bounded: the first MAX_NAMES distinct names keep theirs, later ones are counted as `other`.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import { Counter, Histogram, type Registry } from 'prom-client';

const MAX_NAMES = 200;
const OTHER = 'other';
const ANONYMOUS = 'anonymous';

export type OperationOutcome = 'ok' | 'partial' | 'error' | 'invalid';

export function outcomeOf(result: ExecutionResult): OperationOutcome {
  if (result.errors === undefined || result.errors.length === 0) return 'ok';
  return result.data === null || result.data === undefined ? 'error' : 'partial';
}

/** The plugin, and the same recording for operations executed beside the gateway (router/direct-execution.ts). */
export type OperationMetrics = GatewayPlugin & {
  observe(
    document: DocumentNode,
    operationName: string | undefined,
    result: ExecutionResult,
    started: number,
  ): void;
};

export function useOperationMetrics(
  registry: Registry,
  now: () => number = () => performance.now(),
): OperationMetrics {
  const labelNames = ['type', 'name', 'outcome'] as const;
  const operations = new Counter({
    name: 'netweave_graphql_operations_total',
    help: 'GraphQL operations by operation type, operation name and outcome (ok, partial, error, invalid)',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'netweave_graphql_operation_duration_seconds',
    help: 'Execution time of GraphQL queries and mutations (subscriptions: until the stream is set up)',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const names = new Set<string>();
  const nameLabel = (name: string): string => {
    if (names.has(name)) return name;
    if (names.size >= MAX_NAMES) return OTHER;
    names.add(name);
    return name;
  };
  const labelsOf = (document: DocumentNode, operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName ?? undefined);
    return {
      type: operation?.operation ?? 'unknown',
      name: nameLabel(operation?.name?.value ?? operationName ?? ANONYMOUS),
    };
  };
  const record = (labels: { type: string; name: string }, outcome: OperationOutcome, started: number) => {
    const full = { ...labels, outcome };
    operations.inc(full);
    duration.observe(full, Math.max(0, now() - started) / 1000);
  };
  return {
    observe(document, operationName, result, started) {
      record(labelsOf(document, operationName), outcomeOf(result), started);
    },
    onValidate({ params }) {
      const started = now();
      return ({ valid }) => {
        if (!valid) record(labelsOf(params.documentAST, undefined), 'invalid', started);
      };
    },
    onExecute({ args }) {
      const started = now();
      const labels = labelsOf(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          record(labels, outcomeOf(result), started);
        },
      };
    },
    onSubscribe({ args }) {
      const started = now();
      const labels = labelsOf(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          if (Symbol.asyncIterator in result) record(labels, 'ok', started);
          else record(labels, outcomeOf(result), started);
        },
      };
    },
  };
}
