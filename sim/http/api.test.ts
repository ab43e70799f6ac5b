import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readWatch, requestJson } from '../../testing/sim-http.ts';
import { startSimCluster } from '../cluster.ts';
import type { KubeObject } from '../types.ts';

function configMap(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels },
    data: { k: name },
  };
}

describe('simulated API server: discovery and errors', () => {
  it('serves version, legacy and aggregated discovery', async () => {
    await using cluster = await startSimCluster({ name: 'disco', kubernetesVersion: 'v1.30.4' });
    expect((await requestJson(`${cluster.url}/version`)).body).toMatchObject({
      gitVersion: 'v1.30.4',
      major: '1',
      minor: '30',
    });
    expect((await requestJson(`${cluster.url}/api`)).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const groups = (await requestJson(`${cluster.url}/apis`)).body as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'apiextensions.k8s.io']),
    );
    const core = (await requestJson(`${cluster.url}/api/v1`)).body as {
      resources: Array<{ name: string; shortNames?: string[]; namespaced: boolean }>;
    };
    expect(core.resources.find((r) => r.name === 'nodes')).toMatchObject({
      shortNames: ['no'],
      namespaced: false,
    });
    expect(core.resources.map((r) => r.name)).toContain('pods/status');
    const apps = (await requestJson(`${cluster.url}/apis/apps/v1`)).body as {
      resources: Array<{ name: string; shortNames?: string[] }>;
    };
    expect(apps.resources.find((r) => r.name === 'deployments')?.shortNames).toEqual(['deploy']);

    const aggregated = await requestJson(`${cluster.url}/apis`, {
      headers: {
        Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(aggregated.contentType).toContain('as=APIGroupDiscoveryList');
    expect(aggregated.body['kind']).toBe('APIGroupDiscoveryList');
  });

  it('answers protobuf requests with JSON and errors with Status objects', async () => {
    await using cluster = await startSimCluster({ name: 'errors' });
    const list = await requestJson(`${cluster.url}/api/v1/namespaces`, {
      headers: { Accept: 'application/vnd.kubernetes.protobuf, application/json' },
    });
    expect(list.body['kind']).toBe('NamespaceList');

    const missing = await requestJson(`${cluster.url}/api/v1/namespaces/default/configmaps/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });

    const path = `${cluster.url}/api/v1/namespaces/default/configmaps`;
    expect((await requestJson(path, { method: 'POST', body: configMap('a') })).status).toBe(201);
    expect((await requestJson(path, { method: 'POST', body: configMap('a') })).body).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
    });
    const stale = await requestJson(`${path}/a`, {
      method: 'PUT',
      body: { ...configMap('a'), metadata: { name: 'a', resourceVersion: '1' } },
    });
    expect(stale.body).toMatchObject({ reason: 'Conflict', code: 409 });
    const noNamespace = await requestJson(`${cluster.url}/api/v1/namespaces/ghost/configmaps`, {
      method: 'POST',
      body: { kind: 'ConfigMap', metadata: { name: 'a' } },
    });
    expect(noNamespace.body).toMatchObject({
      reason: 'NotFound',
      code: 404,
      message: 'namespaces "ghost" not found',
    });
    const mismatch = await requestJson(`${cluster.url}/api/v1/namespaces/ghost/configmaps`, {
      method: 'POST',
      body: configMap('a'),
    });
    expect(mismatch.body).toMatchObject({ reason: 'BadRequest', code: 400 });
    const deleted = await requestJson(`${path}/a`, { method: 'DELETE' });
    expect(deleted.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'a' } });
    expect((await requestJson(`${cluster.url}/apis/nope.example.com/v1/things`)).status).toBe(404);
  });

  it('approximates server-side apply: creates, merges, and drops what the same manager stops applying', async () => {
    await using cluster = await startSimCluster({ name: 'ssa' });
    const url = `${cluster.url}/apis/apps/v1/namespaces/default/deployments/web?fieldManager=tool`;
    const apply = (body: string) =>
      requestJson(url, { method: 'PATCH', body, contentType: 'application/apply-patch+yaml' });
    const v1 = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { a: "1", b: "2" } }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - { name: web, image: "web:1", env: [{ name: A, value: "1" }, { name: B, value: "2" }] }
        - { name: log, image: "log:1" }
`;
    expect((await apply(v1)).status).toBe(201);
    cluster.objects.mergePatch(
      'apps/v1',
      'Deployment',
      'web',
      { metadata: { labels: { other: 'kept' } } },
      'default',
    );
    const v2 = v1
      .replace(', b: "2"', '')
      .replace(', { name: B, value: "2" }', '')
      .replace(/ {8}- \{ name: log.*\n/, '')
      .replace('web:1', 'web:2');
    const updated = await apply(v2);
    expect(updated.status).toBe(200);
    const spec = (updated.body['spec'] as { template: { spec: { containers: unknown[] } } }).template.spec;
    expect((updated.body['metadata'] as { labels: unknown }).labels).toEqual({ a: '1', other: 'kept' });
    expect(spec.containers).toEqual([{ name: 'web', image: 'web:2', env: [{ name: 'A', value: '1' }] }]);
    expect(
      (
        await requestJson(`${cluster.url}/apis/apps/v1/namespaces/default/deployments/web`, {
          method: 'PATCH',
          body: v2,
          contentType: 'application/apply-patch+yaml',
        })
      ).status,
    ).toBe(400);
  });

  it('requires the bearer token when one is configured, over https with its own certificate', async () => {
    await using cluster = await startSimCluster({ name: 'secure', token: 's3cret' });
    expect(cluster.url).toMatch(/^https:/);
    const ca = Buffer.from(cluster.caData ?? '', 'base64');
    // fetch cannot be given a CA: node:https with the certificate the kubeconfig carries.
    const status = (authorization?: string): Promise<number | undefined> =>
      new Promise((resolve, reject) => {
        httpsGet(
          `${cluster.url}/api/v1/nodes`,
          { ca, headers: authorization === undefined ? {} : { authorization } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        ).on('error', reject);
      });
    expect(await status()).toBe(401);
    expect(await status('Bearer wrong')).toBe(401);
    expect(await status('Bearer s3cret')).toBe(200);
    expect(cluster.kubeconfigYaml()).toContain('token: s3cret');
    expect(cluster.kubeconfigYaml()).toContain('certificate-authority-data');
  });

  it('serves Tables when kubectl asks for them', async () => {
    await using cluster = await startSimCluster({
      name: 'tables',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
          status: {
            conditions: [{ type: 'Ready', status: 'True' }],
            nodeInfo: { kubeletVersion: 'v1.31.2' },
          },
        },
      ],
    });
    const table = await requestJson(`${cluster.url}/api/v1/nodes`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(table.body['kind']).toBe('Table');
    const columns = (table.body['columnDefinitions'] as Array<{ name: string }>).map((c) => c.name);
    expect(columns.slice(0, 5)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    const rows = table.body['rows'] as Array<{ cells: unknown[]; object: { kind: string } }>;
    expect(rows[0]?.cells.slice(0, 3)).toEqual(['n1', 'Ready', 'control-plane']);
    expect(rows[0]?.object.kind).toBe('PartialObjectMetadata');
  });
});

describe('simulated API server: watch', () => {
  it('replays from a resourceVersion, then streams live changes with selectors applied', async () => {
    await using cluster = await startSimCluster({ name: 'watch' });
    const a = cluster.objects.create(configMap('a', { app: 'x' }));
    cluster.objects.create(configMap('b', { app: 'x' }));
    cluster.objects.create(configMap('other'));
    const url = `${cluster.url}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dx&resourceVersion=${a.metadata.resourceVersion}`;
    const { events } = await readWatch(url, {
      onOpen: () => {
        cluster.objects.mergePatch('v1', 'ConfigMap', 'a', { data: { k: 'changed' } }, 'default');
        cluster.objects.mergePatch(
          'v1',
          'ConfigMap',
          'other',
          { metadata: { labels: { app: 'x' } } },
          'default',
        );
        cluster.objects.mergePatch(
          'v1',
          'ConfigMap',
          'b',
          { metadata: { labels: { app: null } } },
          'default',
        );
        cluster.objects.delete('v1', 'ConfigMap', 'a', 'default');
      },
      until: (e) => e.length >= 5,
    });
    expect(events.map((e) => `${e.type}:${e.object.metadata?.name}`)).toEqual([
      'ADDED:b',
      'MODIFIED:a',
      'ADDED:other',
      'DELETED:b',
      'DELETED:a',
    ]);
    const versions = events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
  });

  it('starts with the current state when no resourceVersion is given', async () => {
    await using cluster = await startSimCluster({
      name: 'initial',
      objects: [configMap('a'), configMap('b')],
    });
    const { events } = await readWatch(`${cluster.url}/api/v1/namespaces/default/configmaps?watch=1`, {
      until: (e) => e.length >= 2,
    });
    expect(events.map((e) => `${e.type}:${e.object.metadata?.name}`)).toEqual(['ADDED:a', 'ADDED:b']);
  });

  it('answers a resume point older than the window with a 410 Expired ERROR event and ends the stream', async () => {
    await using cluster = await startSimCluster({ name: 'expired', retainedEvents: 3 });
    const first = cluster.objects.create(configMap('c0'));
    for (let i = 1; i < 6; i++) cluster.objects.create(configMap(`c${i}`));
    const { events, ended } = await readWatch(
      `${cluster.url}/api/v1/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}`,
    );
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('sends bookmarks when allowed, and ends at timeoutSeconds', async () => {
    await using cluster = await startSimCluster({ name: 'bookmarks', bookmarkIntervalMs: 50 });
    const url = `${cluster.url}/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=${cluster.objects.resourceVersion}&timeoutSeconds=1`;
    const { events, ended } = await readWatch(url);
    expect(ended).toBe(true);
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toMatchObject({
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { resourceVersion: cluster.objects.resourceVersion },
    });
  });

  it('ends the initial events of a watch-list with an annotated bookmark', async () => {
    await using cluster = await startSimCluster({ name: 'watchlist', objects: [configMap('a')] });
    const url = `${cluster.url}/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`;
    const { events } = await readWatch(url, { until: (e) => e.some((x) => x.type === 'BOOKMARK') });
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    expect(events.at(-1)?.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });
});

describe('simulated API server: faults and shutdown', () => {
  it('drops watches and answers 503 while unavailable, then recovers', async () => {
    await using cluster = await startSimCluster({ name: 'faulty' });
    const watch = readWatch(
      `${cluster.url}/api/v1/nodes?watch=true&resourceVersion=${cluster.objects.resourceVersion}`,
      {
        onOpen: () => cluster.setFault('unavailable'),
      },
    ).then(
      (result) => result.ended,
      () => true,
    );
    expect(await watch).toBe(true);
    expect((await requestJson(`${cluster.url}/api/v1/nodes`)).status).toBe(503);
    cluster.setFault('none');
    expect((await requestJson(`${cluster.url}/api/v1/nodes`)).status).toBe(200);
  });

  it('holds requests while slow, releases them on close, and frees the port', async () => {
    const cluster = await startSimCluster({ name: 'slow', slowDelayMs: 60_000 });
    cluster.setFault('slow');
    const pending = fetch(`${cluster.url}/api/v1/nodes`).then(
      (r) => r.status,
      () => 'failed',
    );
    await cluster.close();
    expect(await pending).toBe('failed');
    const port = Number(new URL(cluster.url).port);
    const server = createServer();
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
