/**
 * The hub schema for resolver unit tests: a fixed O-Cloud, and a runner that executes a document with an auth
 * context and answers data, error codes and messages.
 */
import { execute, parse, type GraphQLSchema } from 'graphql';
import { developmentContext, type AuthContext } from '../common/auth.ts';
import { errorCodeOf } from '../common/errors.ts';
import { buildHubSchema, type HubSources } from '../subgraphs/hub/schema.ts';

export interface HubAnswer {
  readonly data: Record<string, unknown> | null | undefined;
  readonly codes: ReturnType<typeof errorCodeOf>[];
  readonly messages: string[];
}

/** A hub schema over `sources`, with a stub O-Cloud and the one cluster `edge-1`. */
export function testHubSchema(sources: Omit<HubSources, 'oCloud' | 'clusterIds'>): GraphQLSchema {
  return buildHubSchema({
    oCloud: () => ({
      oCloudId: 'o',
      globalCloudId: 'g',
      name: 'n',
      description: '',
      serviceUri: '',
      extensions: {},
    }),
    clusterIds: () => ['edge-1'],
    ...sources,
  });
}

export function hubRunner(schema: GraphQLSchema) {
  return async (
    query: string,
    variables: Record<string, unknown> = {},
    auth: AuthContext = developmentContext('t'),
  ): Promise<HubAnswer> => {
    const result = await execute({
      schema,
      document: parse(query),
      variableValues: variables,
      contextValue: { auth },
    });
    return {
      data: result.data as Record<string, unknown> | null | undefined,
      codes: (result.errors ?? []).map((e) => errorCodeOf(e)),
      messages: (result.errors ?? []).map((e) => e.message),
    };
  };
}
