import { describe, expect, it } from 'vitest';
import { Sol013Error } from './errors.ts';
import {
  makeResource,
  RESOURCE_SCHEMA,
  RESOURCE_SELECTORS,
  sol013ErrorOf,
} from '../../testing/sol013-fixtures.ts';
import {
  applySelection,
  parseSelectors,
  selectedTopLevel,
  SELECTOR_LIMITS,
  type Selection,
  type SelectorQuery,
  type SelectorSpec,
} from './selectors.ts';

const ALL_NAMES = Object.keys(RESOURCE_SCHEMA);

function select(query: SelectorQuery, spec: SelectorSpec = RESOURCE_SELECTORS): Selection {
  return parseSelectors(query, spec);
}

function topLevel(query: SelectorQuery, spec?: SelectorSpec): string[] | 'all' {
  const top = selectedTopLevel(select(query, spec));
  return top === 'all' ? 'all' : [...top].sort();
}

function without(...names: string[]): string[] {
  return ALL_NAMES.filter((n) => !names.includes(n)).sort();
}

describe('parseSelectors: the SOL013 combinations', () => {
  it('no parameter: everything but the default-excluded attributes', () => {
    const sel = select({});
    expect(topLevel({})).toEqual(without('extensions'));
    const out = applySelection(sel, makeResource(1)) as Record<string, unknown>;
    expect(out).not.toHaveProperty('extensions');
    expect((out['elements'] as Array<Record<string, unknown>>)[0]).toEqual({
      resourceId: expect.any(String),
      resourceTypeId: expect.any(String),
      description: 'cpu',
    });
  });

  it('exclude_default alone is the same as no parameter', () => {
    expect(select({ exclude_default: '' })).toEqual(select({}));
    expect(select({ exclude_default: 'true' })).toEqual(select({}));
  });

  it('all_fields: everything', () => {
    expect(select({ all_fields: '' })).toBe('all');
    expect(select({ all_fields: 'true' })).toBe('all');
    const resource = makeResource(1);
    expect(applySelection('all', resource)).toBe(resource);
  });

  it('"false" flags are off (oran-o2ims declares all_fields with default "false")', () => {
    expect(select({ all_fields: 'false' })).toEqual(select({}));
    expect(select({ all_fields: 'false', exclude_fields: 'tags' })).toEqual(
      select({ exclude_fields: 'tags' }),
    );
  });

  it('fields alone: all simple and mandatory attributes, optional complex ones only when listed', () => {
    // tags, groups, extensions, location are optional complex attributes; elements is mandatory.
    expect(topLevel({ fields: 'description' })).toEqual(without('tags', 'groups', 'extensions', 'location'));
    expect(topLevel({ fields: 'tags,location' })).toEqual(without('groups', 'extensions'));
    const sel = select({ fields: 'extensions/capacity' });
    const out = applySelection(sel, makeResource(1)) as Record<string, unknown>;
    expect(out['extensions']).toEqual({ capacity: { cpu: '16', memory: '64Gi' } });
    // elements is mandatory and kept, but its default-excluded extensions stay out unless listed.
    const elements = out['elements'] as Array<Record<string, unknown>>;
    expect(elements).toHaveLength(3);
    expect(elements.every((e) => !('extensions' in e) && typeof e['resourceTypeId'] === 'string')).toBe(true);
    const listed = applySelection(select({ fields: 'elements/extensions' }), makeResource(1)) as Record<
      string,
      unknown
    >;
    expect(listed['elements']).toEqual(makeResource(1)['elements']);
  });

  it('fields alone never returns more than fields with exclude_default', () => {
    for (const fields of [
      'description',
      'tags',
      'extensions/capacity',
      'elements/extensions/vendor,location/site',
    ]) {
      const narrow = JSON.stringify(applySelection(select({ fields }), makeResource(3)));
      const wide = applySelection(select({ fields, exclude_default: '' }), makeResource(3));
      expect(applySelection(select({ fields }), wide)).toEqual(JSON.parse(narrow));
    }
  });

  it('fields with exclude_default: the defaults plus the listed attributes', () => {
    // elements/extensions stays default-excluded, so the selection is not 'all', but every top-level name is in it.
    expect(topLevel({ fields: 'extensions', exclude_default: '' })).toEqual([...ALL_NAMES].sort());
    expect(topLevel({ fields: 'extensions,elements/extensions', exclude_default: '' })).toBe('all');
    const sel = select({ fields: 'elements/extensions', exclude_default: '' });
    const out = applySelection(sel, makeResource(3)) as Record<string, unknown>;
    expect(out).not.toHaveProperty('extensions');
    expect(out['elements']).toEqual(makeResource(3)['elements']);
    expect(out['tags']).toEqual(['gpu', 'edge']);
  });

  it('exclude_fields: everything but the listed attributes (default exclusions do not apply)', () => {
    expect(topLevel({ exclude_fields: 'tags,groups' })).toEqual(without('tags', 'groups'));
    const out = applySelection(
      select({ exclude_fields: 'location/coordinates,extensions/capacity' }),
      makeResource(2),
    ) as Record<string, unknown>;
    expect(out['location']).toEqual({ site: 'site-2', rack: 2 });
    expect(out['extensions']).toEqual({
      'topology.kubernetes.io/zone': 'zone-2',
      'netweave.io/pool': 'pool-2',
      gpus: 0,
    });
    expect(out['elements']).toHaveLength(3);
    expect((out['elements'] as Array<Record<string, unknown>>)[2]!['extensions']).toEqual({
      vendor: 'intel',
    });
  });

  it('exclude_fields never removes a mandatory attribute', () => {
    expect(topLevel({ exclude_fields: 'resourceId,tags' })).toEqual(without('tags'));
    // …but may trim inside one.
    const out = applySelection(select({ exclude_fields: 'elements/extensions' }), makeResource(1)) as Record<
      string,
      unknown
    >;
    expect((out['elements'] as Array<Record<string, unknown>>).every((e) => !('extensions' in e))).toBe(true);
  });

  it("fieldsMode 'only' (O2IMS reading): mandatory attributes plus the listed ones", () => {
    const spec: SelectorSpec = { ...RESOURCE_SELECTORS, fieldsMode: 'only' };
    expect(topLevel({ fields: 'cpuCount,location/site' }, spec)).toEqual(
      [
        'cpuCount',
        'description',
        'elements',
        'location',
        'resourceId',
        'resourcePoolId',
        'resourceTypeId',
      ].sort(),
    );
    const out = applySelection(select({ fields: 'location/site' }, spec), makeResource(1)) as Record<
      string,
      unknown
    >;
    expect(out['location']).toEqual({ site: 'site-1' });
    expect(out).not.toHaveProperty('cpuCount');
  });

  it('an empty default exclude list and no parameter select everything', () => {
    expect(select({}, { schema: RESOURCE_SCHEMA, defaultExcluded: [] })).toBe('all');
  });

  it('nested paths combine: excluding inside an included subtree, re-including after a default exclusion', () => {
    const sel = select({ fields: 'elements/extensions/vendor', exclude_default: '' });
    const out = applySelection(sel, makeResource(3)) as Record<string, unknown>;
    const elements = out['elements'] as Array<Record<string, unknown>>;
    expect(elements[0]!['extensions']).toEqual({});
    expect(elements[2]!['extensions']).toEqual({ vendor: 'nvidia' });
    expect(elements[2]!['description']).toBe('nvidia gpu');
  });

  it('tolerates spaces around entries and duplicate entries', () => {
    expect(select({ fields: ' tags , tags,location ' })).toEqual(select({ fields: 'tags,location' }));
  });

  it('resolves "~" escapes in selector paths', () => {
    const out = applySelection(
      select({ exclude_fields: 'extensions/topology.kubernetes.io~1zone' }),
      makeResource(1),
    ) as Record<string, unknown>;
    expect(out['extensions']).not.toHaveProperty('topology.kubernetes.io/zone');
    expect(out['extensions']).toHaveProperty('netweave.io/pool');
  });
});

describe('parseSelectors: rejected input', () => {
  it.each<[string, SelectorQuery]>([
    ['all_fields with fields', { all_fields: '', fields: 'tags' }],
    ['all_fields with exclude_fields', { all_fields: '', exclude_fields: 'tags' }],
    ['all_fields with exclude_default', { all_fields: '', exclude_default: '' }],
    ['fields with exclude_fields', { fields: 'tags', exclude_fields: 'groups' }],
    ['exclude_fields with exclude_default', { exclude_fields: 'tags', exclude_default: '' }],
    ['empty fields', { fields: '' }],
    ['empty exclude_fields', { exclude_fields: '' }],
    ['empty entry', { fields: 'tags,,groups' }],
    ['trailing comma', { fields: 'tags,' }],
    ['blank entry', { fields: ' ' }],
    ['unknown attribute', { fields: 'nope' }],
    ['unknown nested attribute', { exclude_fields: 'location/nope' }],
    ['prototype member', { fields: 'constructor' }],
    ['path below a simple attribute', { fields: 'description/x' }],
    ['path below an array of scalars', { exclude_fields: 'tags/x' }],
    ['empty path segment', { fields: 'location//site' }],
    ['bad escape', { fields: 'extensions/a~z' }],
    ['@key', { fields: 'extensions/@key' }],
    ['flag with a value', { all_fields: 'yes' }],
    ['exclude_default with a value', { exclude_default: '1' }],
    [
      'too many entries',
      {
        fields: Array(SELECTOR_LIMITS.maxEntries + 1)
          .fill('tags')
          .join(','),
      },
    ],
    ['too long', { fields: 'extensions/' + 'x'.repeat(SELECTOR_LIMITS.maxLength) }],
  ])('%s', (_name, query) => {
    expect(sol013ErrorOf(() => select(query)).code).toBe('SELECTOR');
  });

  it('never echoes the input', () => {
    for (const query of [
      { fields: 'secretname' },
      { exclude_fields: 'location/secretname' },
      { all_fields: 'secretvalue' },
      { fields: 'a~zsecret' },
    ]) {
      const message = sol013ErrorOf(() => select(query)).message;
      expect(message).not.toContain('secret');
    }
  });

  it('a defaultExcluded entry unknown to the schema is a programming error, not a 400', () => {
    expect(() => select({}, { schema: RESOURCE_SCHEMA, defaultExcluded: [['nope']] })).toThrow(Error);
    expect(() => select({}, { schema: RESOURCE_SCHEMA, defaultExcluded: [['nope']] })).not.toThrow(
      Sol013Error,
    );
  });
});

describe('applySelection', () => {
  it('returns new objects and leaves the input alone', () => {
    const resource = makeResource(1);
    const before = JSON.stringify(resource);
    const out = applySelection(select({}), resource);
    expect(out).not.toBe(resource);
    expect(JSON.stringify(resource)).toBe(before);
  });

  it('keeps the original attribute order', () => {
    const out = applySelection({ include: { b: 'all', a: 'all' } }, { a: 1, x: 2, b: 3 });
    expect(Object.keys(out as object)).toEqual(['a', 'b']);
  });

  it('maps arrays element by element and leaves non-objects alone', () => {
    const sel: Selection = { include: { a: 'all' } };
    expect(applySelection(sel, [{ a: 1, b: 2 }, 'x', null, [{ a: 3, b: 4 }]])).toEqual([
      { a: 1 },
      'x',
      null,
      [{ a: 3 }],
    ]);
    expect(applySelection(sel, 7)).toBe(7);
    expect(applySelection({ except: { a: null } }, null)).toBeNull();
  });

  it('except keeps unknown members, trims listed ones, drops null ones', () => {
    const sel: Selection = { except: { a: null, b: { include: { c: 'all' } } } };
    expect(applySelection(sel, { a: 1, b: { c: 2, d: 3 }, e: 4 })).toEqual({ b: { c: 2 }, e: 4 });
  });

  it('treats "__proto__" as an ordinary member name', () => {
    const data: unknown = JSON.parse('{"extensions":{"__proto__":{"polluted":true},"x":1}}');
    const sel = select(
      { exclude_fields: 'extensions/x' },
      { schema: { extensions: 'object' }, defaultExcluded: [] },
    );
    const out = applySelection(sel, data) as { extensions: object };
    expect(Object.keys(out.extensions)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out.extensions)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

    const picked = applySelection(
      select({ fields: 'extensions/__proto__' }, { schema: { extensions: 'object' }, defaultExcluded: [] }),
      data,
    ) as {
      extensions: object;
    };
    expect(Object.hasOwn(picked.extensions, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(picked.extensions)).toBe(Object.prototype);
  });

  it('a Selection is plain JSON', () => {
    const sel = select({ fields: 'extensions/capacity,location/site' });
    expect(JSON.parse(JSON.stringify(sel))).toEqual(sel);
    const resource = makeResource(5);
    expect(applySelection(JSON.parse(JSON.stringify(sel)) as Selection, resource)).toEqual(
      applySelection(sel, resource),
    );
  });
});

describe('selectedTopLevel', () => {
  it('lists the top-level attributes to fetch', () => {
    expect(selectedTopLevel('all')).toBe('all');
    expect(selectedTopLevel({ include: { a: 'all', b: { include: { c: 'all' } } } })).toEqual(
      new Set(['a', 'b']),
    );
    expect(selectedTopLevel({ except: { a: null } })).toBe('all');
  });
});
