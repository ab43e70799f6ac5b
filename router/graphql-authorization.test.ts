import { extendSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../common/auth.ts';
import { can, PERMISSIONS } from '../common/authorization.ts';
import { buildSupergraphApiSchema } from '../testing/supergraph-schema.ts';
import { authorizeDocument, GRAPHQL_FIELD_PERMISSIONS } from './graphql-authorization.ts';

const schema = buildSupergraphApiSchema();

function codes(query: string, roles: readonly Role[]): string[] {
  return authorizeDocument(schema, parse(query), { roles }).map((e) => String(e.extensions['code']));
}

describe('GraphQL field authorization', () => {
  it('maps every root field of the public graph to a permission of the role table', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const unmapped = roots
      .flatMap((type) => (type ? Object.keys(type.getFields()).map((f) => `${type.name}.${f}`) : []))
      .filter((coordinate) => GRAPHQL_FIELD_PERMISSIONS[coordinate] === undefined);
    expect(unmapped).toEqual([]);
    for (const permission of Object.values(GRAPHQL_FIELD_PERMISSIONS))
      expect(PERMISSIONS).toHaveProperty(permission);
  });

  it('grants a field exactly to the roles the table gives its permission', () => {
    for (const role of ROLES) {
      const allowed = can({ roles: [role] }, 'alarms:read');
      expect(codes('{ oCloud { alarms { alarmName } } }', [role]).length === 0).toBe(allowed);
    }
    expect(codes('{ resourcePools { name } }', [])).toEqual(['FORBIDDEN']);
    expect(codes('{ __typename }', [])).toEqual([]);
  });

  it('gives the DMS fields the roles of their REST twins: a reader reads but cannot instantiate', () => {
    const mutation = 'mutation { instantiateVnf(vnfInstanceId: "x", request: {}) { id } }';
    for (const role of ROLES) {
      expect(codes(mutation, [role]).length === 0).toBe(can({ roles: [role] }, 'dms:write'));
      expect(codes('{ vnfInstances { id } nfDeployments { vnfInstanceId } }', [role]).length === 0).toBe(
        can({ roles: [role] }, 'dms:read'),
      );
    }
    expect(codes(mutation, ['reader'])).toEqual(['FORBIDDEN']);
    expect(codes('{ clusters { helmReleases { name } } }', ['maintainer'])).toEqual(['FORBIDDEN']);
  });

  it('follows fragments and inline fragments into nested fields', () => {
    const query = `
      query { resources { ...R } }
      fragment R on Resource { resourceId ... on Resource { alarms { alarmName } } }`;
    expect(codes(query, ['deployer'])).toEqual(['FORBIDDEN']);
    expect(codes(query, ['reader'])).toEqual([]);
  });

  it('refuses a root field missing from the table to everyone but admins; introspection needs any role', () => {
    const extended = extendSchema(schema, parse('extend type Query { notInTheTable: String }'));
    const refused = authorizeDocument(extended, parse('{ notInTheTable }'), { roles: ['reader'] });
    expect(refused.map((e) => e.message)).toEqual([expect.stringContaining('Query.notInTheTable')]);
    expect(authorizeDocument(extended, parse('{ notInTheTable }'), { roles: ['admin'] })).toEqual([]);
    expect(codes('{ __schema { queryType { name } } }', [])).toEqual(['FORBIDDEN']);
    expect(codes('{ __schema { queryType { name } } }', ['subscriber'])).toEqual([]);
  });

  it('decides per caller on a document it has seen before (the walk is cached, the decision is not)', () => {
    const document = parse('{ resourcePools { name alarms { alarmEventRecordId } } }');
    const refused = (roles: readonly Role[]) =>
      authorizeDocument(schema, document, { roles }).map((e) => e.message);
    const reader = refused(['reader']);
    expect(refused(['admin'])).toEqual([]);
    expect(refused(['reader'])).toEqual(reader);
    expect(refused([])).toHaveLength(2);
    expect(refused(['admin'])).toEqual([]);
  });
});
