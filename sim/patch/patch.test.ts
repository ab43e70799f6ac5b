import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../json.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { builtinStrategies } from './strategic-schema.ts';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, replaces arrays and deletes on null', () => {
    const target = deepFreeze({ a: { b: 1, c: 2 }, list: [1, 2], keep: true });
    expect(applyMergePatch(target, { a: { b: null, d: 3 }, list: [3] })).toEqual({
      a: { c: 2, d: 3 },
      list: [3],
      keep: true,
    });
  });

  it('never mutates its input (frozen stored objects)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.integer(),
        fc.string(),
        fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, json, (target, patch) => {
        const frozen = deepFreeze(structuredClone(target));
        applyMergePatch(frozen, patch);
      }),
    );
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, remove, replace, move, copy and test', () => {
    const doc = deepFreeze({ spec: { replicas: 1, list: ['a', 'c'] }, metadata: { labels: { 'x/y': '1' } } });
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/list/1', value: 'b' },
      { op: 'add', path: '/spec/list/-', value: 'd' },
      { op: 'remove', path: '/metadata/labels/x~1y' },
      { op: 'copy', from: '/spec/replicas', path: '/spec/copy' },
      { op: 'move', from: '/spec/copy', path: '/spec/moved' },
    ]);
    expect(result).toEqual({
      spec: { replicas: 3, list: ['a', 'b', 'c', 'd'], moved: 3 },
      metadata: { labels: {} },
    });
  });

  it('fails a test operation with 422 and leaves the input untouched', () => {
    const doc = { a: 1 };
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'replace', path: '/a', value: 2 },
        { op: 'test', path: '/a', value: 1 },
      ]),
    ).toThrow(/test failed/);
    expect(doc).toEqual({ a: 1 });
  });
});

describe('strategic merge patch', () => {
  const deployment = deepFreeze({
    spec: {
      replicas: 1,
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'app:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
            { name: 'sidecar', image: 'side:1' },
          ],
          tolerations: [{ key: 'a' }],
        },
      },
    },
    status: {
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True' },
      ],
    },
  });
  const resolve = builtinStrategies('Deployment');

  it('merges containers by name, keeping fields the patch does not mention (kubectl apply)', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [{ name: 'app', image: 'app:2' }],
          },
        },
      },
    };
    const result = applyStrategicMergePatch(deployment, patch, resolve) as typeof deployment;
    expect(result.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'app:2', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
      { name: 'sidecar', image: 'side:1' },
    ]);
  });

  it('merges status.conditions by type and replaces lists without a merge key', () => {
    const result = applyStrategicMergePatch(
      deployment,
      {
        status: {
          conditions: [
            { type: 'Available', status: 'False' },
            { type: 'ReplicaFailure', status: 'True' },
          ],
        },
        spec: { template: { spec: { tolerations: [{ key: 'b' }] } } },
      },
      resolve,
    ) as typeof deployment;
    expect(result.status.conditions).toEqual([
      { type: 'Available', status: 'False' },
      { type: 'Progressing', status: 'True' },
      { type: 'ReplicaFailure', status: 'True' },
    ]);
    expect(result.spec.template.spec.tolerations).toEqual([{ key: 'b' }]);
  });

  it('honours $patch: delete in lists and maps, and null deletes', () => {
    const result = applyStrategicMergePatch(
      deployment,
      {
        spec: { replicas: null, template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
        status: { $patch: 'delete' },
      },
      resolve,
    ) as Record<string, unknown>;
    expect(result).toEqual({
      spec: {
        template: {
          spec: { containers: [deployment.spec.template.spec.containers[0]], tolerations: [{ key: 'a' }] },
        },
      },
    });
  });

  it('honours $patch: replace and $retainKeys', () => {
    const result = applyStrategicMergePatch(
      {
        spec: {
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
          selector: { a: '1', b: '2' },
        },
      },
      {
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate' },
          selector: { $patch: 'replace', c: '3' },
        },
      },
      resolve,
    );
    expect(result).toEqual({ spec: { strategy: { type: 'Recreate' }, selector: { c: '3' } } });
  });

  it('merges metadata.finalizers as a set and deletes from primitive lists', () => {
    const object = { metadata: { finalizers: ['a', 'b'] } };
    expect(applyStrategicMergePatch(object, { metadata: { finalizers: ['b', 'c'] } }, resolve)).toEqual({
      metadata: { finalizers: ['a', 'b', 'c'] },
    });
    expect(
      applyStrategicMergePatch(
        object,
        { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
        resolve,
      ),
    ).toEqual({ metadata: { finalizers: ['b'] } });
  });

  it('merges Service ports by port and node addresses by type', () => {
    const service = {
      spec: {
        ports: [
          { port: 80, name: 'http' },
          { port: 443, name: 'https' },
        ],
      },
    };
    expect(
      applyStrategicMergePatch(
        service,
        { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
        builtinStrategies('Service'),
      ),
    ).toEqual({
      spec: {
        ports: [
          { port: 80, name: 'http', targetPort: 8080 },
          { port: 443, name: 'https' },
        ],
      },
    });
  });
});
