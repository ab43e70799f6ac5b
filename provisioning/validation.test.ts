/** Request and parameter validation (validation.ts): 400s that name the violating path. */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Template } from './model.ts';
import { validateParameters, validateRequestData } from './validation.ts';

const TEMPLATE: Template = {
  templateId: '00000000-0000-5000-8000-000000000001',
  name: 'edge-cluster',
  version: 'v1',
  description: '',
  parameterSchema: {
    type: 'object',
    required: ['nodeCount'],
    properties: {
      nodeCount: { type: 'integer', minimum: 1, maximum: 20 },
      memory: { type: 'string', pattern: '^[0-9]+(Mi|Gi)$' },
      network: { type: 'object', properties: { vlan: { type: 'integer' } } },
    },
  },
  timeoutSeconds: 600,
  compositionName: 'edge-cluster-small',
  compositeType: {
    group: 'edge.netweave.io',
    version: 'v1alpha1',
    kind: 'EdgeCluster',
    plural: 'edgeclusters',
  },
};

const BODY = {
  provisioningRequestId: '5f0c8a2e-7b1d-4c3e-8f9a-1b2c3d4e5f60',
  name: 'edge-3',
  description: 'x',
  templateName: 'edge-cluster',
  templateVersion: 'v1',
  templateParameters: { nodeCount: 2 },
};

function refusal(work: () => unknown): { code: unknown; message: string } {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return { code: (error as GraphQLError).extensions['code'], message: (error as Error).message };
  }
  throw new Error('not refused');
}

describe('validateRequestData', () => {
  it('accepts a ProvisioningRequestData body', () => {
    expect(validateRequestData(BODY)).toEqual(BODY);
  });

  it.each([
    [{ ...BODY, provisioningRequestId: 'not-a-uuid' }, '/provisioningRequestId must match format "uuid"'],
    [{ ...BODY, name: 'Edge_3' }, '/name must match pattern'],
    [{ ...BODY, extra: 1 }, 'must NOT have additional properties (extra)'],
    [{ ...BODY, templateParameters: [] }, '/templateParameters must be object'],
    [(({ templateName: _, ...rest }) => rest)(BODY), "must have required property 'templateName'"],
  ])('refuses %j: %s', (body, message) => {
    const result = refusal(() => validateRequestData(body));
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.message).toContain(message);
  });
});

describe('validateParameters', () => {
  it('accepts parameters of the schema', () => {
    expect(() =>
      validateParameters(TEMPLATE, { nodeCount: 3, memory: '64Gi', network: { vlan: 100 } }),
    ).not.toThrow();
  });

  it.each([
    [{ nodeCount: 50 }, '/templateParameters/nodeCount must be <= 20'],
    [{}, "/templateParameters must have required property 'nodeCount'"],
    [{ nodeCount: 1, memory: 'lots' }, '/templateParameters/memory must match pattern'],
    [{ nodeCount: 1, network: { vlan: 'ten' } }, '/templateParameters/network/vlan must be integer'],
  ])('refuses %j naming the path', (parameters, message) => {
    const result = refusal(() => validateParameters(TEMPLATE, parameters));
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.message).toContain(message);
  });
});
