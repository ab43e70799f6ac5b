import { describe, expect, it } from 'vitest';
import { SimApiError } from '../errors.ts';
import { parseFieldSelector } from './field-selector.ts';
import { parseLabelSelector } from './label-selector.ts';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend', 'netweave.io/pool': 'gpu', count: '5' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['tier in (frontend, backend)', true],
    ['tier in (backend)', false],
    ['tier notin (backend)', true],
    ['missing notin (x)', true],
    ['netweave.io/pool', true],
    ['!netweave.io/pool', false],
    ['!missing', true],
    ['app=web,tier in (frontend),!missing', true],
    ['app=web,tier=backend', false],
    ['count>3', true],
    ['count<3', false],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('matches objects without labels only through negative requirements', () => {
    expect(parseLabelSelector('a!=b').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a=b').matches(undefined)).toBe(false);
  });

  it('rejects malformed selectors with a 400 like the API server', () => {
    const error = (() => {
      try {
        parseLabelSelector('app=we b');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SimApiError);
    expect((error as SimApiError).code).toBe(400);
  });
});

describe('field selectors', () => {
  const pod = {
    metadata: { name: 'p1', namespace: 'ran' },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running' },
  };

  it.each([
    ['metadata.name=p1', true],
    ['metadata.name==p1', true],
    ['metadata.name!=p1', false],
    ['metadata.namespace=ran,spec.nodeName=n1', true],
    ['spec.nodeName=n2', false],
    ['spec.nodeName!=', true],
    ['status.phase=Running', true],
    ['spec.missing=', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseFieldSelector(selector).matches(pod)).toBe(expected);
  });

  it('unescapes values and exposes exact matches', () => {
    const selector = parseFieldSelector('metadata.name=a\\,b');
    expect(selector.matches({ metadata: { name: 'a,b' } })).toBe(true);
    expect(selector.exact('metadata.name')).toBe('a,b');
  });
});
