/**
 * Inventory event filters: event-level attributes, object state paths, and object attributes as shorthand
 * for the object state (pti-o2 clients' `(eq,resourcePoolId,<id>)`), matched against the post OR the prior
 * state so that an object moving out of the filter still matches.
 */
import { describe, expect, it } from 'vitest';
import { compileEventFilter, eventMatchesFilter } from './event-filter.ts';
import type { InventoryChangeEvent, O2ObjectState } from './events.ts';

const POOL_A = '11111111-1111-4111-8111-111111111111';
const POOL_B = '22222222-2222-4222-8222-222222222222';
const TYPE = '33333333-3333-4333-8333-333333333333';
const NODE = '44444444-4444-4444-8444-444444444444';

function resource(pool: string): O2ObjectState {
  return {
    resourceId: NODE,
    resourcePoolId: pool,
    resourceTypeId: TYPE,
    description: 'worker',
    extensions: {},
  };
}

const common = {
  eventId: '55555555-5555-4555-8555-555555555555',
  clusterId: 'edge-1',
  objectKind: 'RESOURCE',
  objectId: NODE,
  objectRef: `/resourcePools/${POOL_B}/resources/${NODE}`,
  occurredAt: '2026-01-01T00:00:00Z',
} as const;

const created: InventoryChangeEvent = {
  ...common,
  changeKind: 'CREATE',
  priorObjectState: null,
  postObjectState: resource(POOL_A),
};
const moved: InventoryChangeEvent = {
  ...common,
  changeKind: 'MODIFY',
  priorObjectState: resource(POOL_A),
  postObjectState: resource(POOL_B),
};
const deleted: InventoryChangeEvent = {
  ...common,
  changeKind: 'DELETE',
  priorObjectState: resource(POOL_B),
  postObjectState: null,
};
const typeCreated: InventoryChangeEvent = {
  ...common,
  objectKind: 'RESOURCE_TYPE',
  objectId: TYPE,
  objectRef: `/resourceTypes/${TYPE}`,
  changeKind: 'CREATE',
  priorObjectState: null,
  postObjectState: { resourceTypeId: TYPE, name: 'node', model: 'A100', extensions: {} },
};

function matching(filter: string): string[] {
  const compiled = compileEventFilter(filter);
  const events = { created, moved, deleted, typeCreated };
  return Object.entries(events)
    .filter(([, event]) => eventMatchesFilter(compiled, event))
    .map(([name]) => name);
}

describe('inventory event filters', () => {
  it('accepts object attributes as shorthand for the object state, matching the post or the prior state', () => {
    expect(matching(`(eq,resourcePoolId,${POOL_A})`)).toEqual(['created', 'moved']);
    expect(matching(`(eq,resourcePoolId,${POOL_B})`)).toEqual(['moved', 'deleted']);
    expect(matching(`(eq,resourceTypeId,${TYPE})`)).toEqual(['created', 'moved', 'deleted', 'typeCreated']);
    expect(matching('(eq,model,A100)')).toEqual(['typeCreated']);
    expect(matching('(cont,description,work)')).toEqual(['created', 'moved', 'deleted']);
  });

  it('combines shorthand with event-level attributes (ANDed, evaluated on one state at a time)', () => {
    expect(matching(`(eq,resourcePoolId,${POOL_A});(eq,changeKind,MODIFY)`)).toEqual(['moved']);
    expect(matching(`(eq,resourcePoolId,${POOL_B});(eq,notificationEventType,2)`)).toEqual(['deleted']);
    expect(matching('(eq,objectKind,RESOURCE_TYPE)')).toEqual(['typeCreated']);
  });

  it('keeps the explicit state paths', () => {
    expect(matching(`(eq,postObjectState/resourcePoolId,${POOL_A})`)).toEqual(['created']);
    expect(matching(`(eq,priorObjectState/resourcePoolId,${POOL_A})`)).toEqual(['moved']);
  });

  it('refuses attributes no event or object has, and values of the wrong type', () => {
    expect(() => compileEventFilter('(eq,resourcePool,x)')).toThrow(/unknown|attribute/i);
    expect(() => compileEventFilter('(eq,resourcePoolId,not-a-uuid)')).toThrow();
  });
});
