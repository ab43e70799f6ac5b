/**
 * Which in-process operations take the direct path (only the cluster subgraph answers them) and what the
 * path adds to the shard executor's result: shard failures recorded on the context, null propagation of a
 * non-null root field, and the gateway's refusals left to the gateway.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../common/auth.ts';
import { HUB_SDL_PATH } from '../subgraphs/hub/index.ts';
import { buildSupergraphApiSchema } from '../testing/supergraph-schema.ts';
import { createDirectExecution, hubOwnedFields } from './direct-execution.ts';
import { CLUSTER_SDL_PATH } from './gateway.ts';
import { shardUnavailable } from './shard-executor.ts';

const auth: AuthContext = {
  principal: 'tester',
  roles: ['reader'],
  tenant: { name: '*' },
  method: 'internal',
  requestId: 'direct-test',
} as AuthContext;

function setup(answer: (request: ExecutionRequest) => ExecutionResult) {
  const calls: ExecutionRequest[] = [];
  const shardExecutor = ((request: ExecutionRequest) => {
    calls.push(request);
    return Promise.resolve(answer(request));
  }) as Executor;
  const direct = createDirectExecution({
    schema: buildSupergraphApiSchema(),
    clusterSchema: buildSubgraphSchema({ typeDefs: parse(readFileSync(CLUSTER_SDL_PATH, 'utf8')) }),
    hubFields: hubOwnedFields(readFileSync(HUB_SDL_PATH, 'utf8')),
    shardExecutor,
  });
  const run = (query: string, roles: readonly string[] = ['reader']) =>
    direct.execute({ document: parse(query), variables: {}, auth: { ...auth, roles } as AuthContext });
  return { calls, run };
}

describe('the direct path of cluster-only queries', () => {
  it('takes queries of cluster fields (keys of hub entities included), leaves the rest to the gateway', async () => {
    const { calls, run } = setup(() => ({ data: { resourcePools: [] } }));
    expect(await run('query P { resourcePools { resourcePoolId clusterId name } }')).toEqual({
      data: { resourcePools: [] },
    });
    expect(calls).toHaveLength(1);
    // Hub fields (alarms on a cluster entity, the O-Cloud), mutations, directives and unknown fields: the gateway.
    expect(await run('{ resourcePools { resourcePoolId alarms { alarmEventRecordId } } }')).toBeUndefined();
    expect(await run('{ oCloud { oCloudId } }')).toBeUndefined();
    expect(await run('{ resourcePools { name @include(if: true) } }')).toBeUndefined();
    expect(await run('{ nosuchfield }')).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('keeps the shard errors and nulls data for a null non-null root list (every cluster down)', async () => {
    const { run } = setup(() => ({
      data: { resourcePools: null },
      errors: [shardUnavailable('edge-1', 'down')],
    }));
    const result = await run('{ resourcePools { resourcePoolId } }');
    expect(result?.data).toBeNull();
    expect(result?.errors?.map((e) => e.extensions?.['clusterId'])).toEqual(['edge-1']);
  });

  it('leaves a caller without the permission to the gateway, which refuses it', async () => {
    const { calls, run } = setup(() => ({ data: { resourcePools: [] } }));
    expect(await run('{ resourcePools { resourcePoolId } }', [])).toBeUndefined();
    expect(calls).toHaveLength(0);
  });
});
