/**
 * The simulator against an unmodified @kubernetes/client-node: informers (list + watch, 410 relist),
 * typed CRUD, the three patch types, subresources and list paging.
 */
import type { KubernetesObject, V1Node } from '@kubernetes/client-node';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { SimCluster, SimClusterOptions } from './cluster.ts';
import { startSimCluster } from './cluster.ts';
import type { KubeObject } from './types.ts';

function kubeConfig(cluster: SimCluster): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfigYaml());
  return kc;
}

function node(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A node informer that restarts itself after errors, as a supervised production informer would. */
async function nodeInformer(cluster: SimCluster) {
  const kc = kubeConfig(cluster);
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Node>(kc, '/api/v1/nodes', () => core.listNode());
  const events: string[] = [];
  let stopped = false;
  for (const verb of ['add', 'update', 'delete'] as const) {
    informer.on(verb, (obj: KubernetesObject) => events.push(`${verb}:${obj.metadata?.name ?? ''}`));
  }
  informer.on('error', () => {
    if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 25);
  });
  await informer.start();
  return {
    informer,
    events,
    names: () =>
      informer
        .list()
        .map((n) => n.metadata?.name ?? '')
        .sort(),
    [Symbol.asyncDispose]: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

async function cluster(
  options: Partial<SimClusterOptions> = {},
): Promise<SimCluster & { lists: () => number }> {
  let lists = 0;
  const sim = await startSimCluster({
    name: 'client-node',
    ...options,
    onRequest: (method, url) => {
      if (method === 'GET' && url.startsWith('/api/v1/nodes') && !/[?&]watch=/.test(url)) lists++;
    },
  });
  return Object.assign(sim, { lists: () => lists });
}

describe('client-node informers', () => {
  it('see ADDED, MODIFIED and DELETED for changes made through the store and through HTTP', async () => {
    await using sim = await cluster({ objects: [node('seed')] });
    await using watcher = await nodeInformer(sim);
    await expect
      .poll(() => watcher.names().includes('seed'), { timeout: 10_000, message: 'initial list' })
      .toBeTruthy();
    const core = kubeConfig(sim).makeApiClient(CoreV1Api);

    sim.objects.create(node('from-store'));
    sim.objects.mergePatch('v1', 'Node', 'from-store', { metadata: { labels: { zone: 'a' } } });
    await core.createNode({ body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'from-http' } } });
    await core.patchNode(
      { name: 'from-http', body: { metadata: { labels: { zone: 'b' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    sim.objects.delete('v1', 'Node', 'seed');
    await core.deleteNode({ name: 'from-store' });

    const expected = [
      'add:from-store',
      'update:from-store',
      'add:from-http',
      'update:from-http',
      'delete:seed',
      'delete:from-store',
    ];
    await expect
      .poll(() => expected.every((e) => watcher.events.includes(e)), {
        timeout: 10_000,
        message: `events ${expected.join(', ')} (got ${watcher.events.join(', ')})`,
      })
      .toBeTruthy();
    expect(watcher.events.filter((e) => !e.endsWith(':seed') || e.startsWith('delete'))).toEqual(expected);
    expect(watcher.informer.get('from-http')?.metadata?.labels).toEqual({ zone: 'b' });
    expect(watcher.names()).toEqual(['from-http']);
  });

  it('relist after the watch window is exceeded while disconnected (410 Gone) and end with the right cache', async () => {
    await using sim = await cluster({
      retainedEvents: 5,
      objects: [node('keep'), node('gone'), node('changed')],
    });
    await using watcher = await nodeInformer(sim);
    await expect
      .poll(() => watcher.names().length === 3, { timeout: 10_000, message: 'initial list' })
      .toBeTruthy();
    const listsBefore = sim.lists();

    sim.setFault('unavailable');
    sim.objects.delete('v1', 'Node', 'gone');
    sim.objects.mergePatch('v1', 'Node', 'changed', { metadata: { labels: { round: '1' } } });
    for (let i = 0; i < 6; i++) sim.objects.create(node(`new-${i}`));
    sim.objects.mergePatch('v1', 'Node', 'changed', { metadata: { labels: { round: '2' } } });
    sim.setFault('none');

    const expected = ['changed', 'keep', ...Array.from({ length: 6 }, (_, i) => `new-${i}`)].sort();
    await expect
      .poll(() => JSON.stringify(watcher.names()) === JSON.stringify(expected), {
        timeout: 10_000,
        message: 'the informer cache to converge',
      })
      .toBeTruthy();
    expect(sim.lists()).toBeGreaterThan(listsBefore);
    expect(watcher.informer.get('changed')?.metadata?.labels).toEqual({ round: '2' });
    expect(watcher.events).toContain('delete:gone');

    // The relisted informer keeps watching from the new list's resourceVersion.
    sim.objects.create(node('after'));
    await expect
      .poll(() => watcher.names().includes('after'), {
        timeout: 10_000,
        message: 'a change after the relist',
      })
      .toBeTruthy();
  });
});

describe('client-node typed APIs', () => {
  it('create, read, replace (with conflicts), patch and delete ConfigMaps', async () => {
    await using sim = await cluster();
    const core = kubeConfig(sim).makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ran' } } });
    const created = await core.createNamespacedConfigMap({
      namespace: 'ran',
      body: { metadata: { name: 'cfg', labels: { a: '1' } }, data: { x: '1' } },
    });
    expect(created.metadata?.uid).toBeDefined();

    const read = await core.readNamespacedConfigMap({ name: 'cfg', namespace: 'ran' });
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'cfg',
      namespace: 'ran',
      body: { ...read, data: { x: '2' } },
    });
    expect(replaced.data).toEqual({ x: '2' });
    await expect(
      core.replaceNamespacedConfigMap({ name: 'cfg', namespace: 'ran', body: { ...read, data: { x: '3' } } }),
    ).rejects.toMatchObject({ code: 409 });

    const merged = await core.patchNamespacedConfigMap(
      {
        name: 'cfg',
        namespace: 'ran',
        body: { metadata: { labels: { a: null, b: '2' } }, data: { y: 'y' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect([merged.metadata?.labels, merged.data]).toEqual([{ b: '2' }, { x: '2', y: 'y' }]);
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: 'cfg',
      namespace: 'ran',
      body: [{ op: 'remove', path: '/data/x' }],
    });
    expect(jsonPatched.data).toEqual({ y: 'y' });

    await core.deleteNamespacedConfigMap({ name: 'cfg', namespace: 'ran' });
    await expect(core.readNamespacedConfigMap({ name: 'cfg', namespace: 'ran' })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('patch Deployments with strategic merge, update status conditions by type, and scale', async () => {
    await using sim = await cluster();
    const apps = kubeConfig(sim).makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
                { name: 'log', image: 'busybox' },
              ],
            },
          },
        },
      },
    });
    const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: {
          spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
        },
      },
      strategic,
    );
    expect(patched.spec?.replicas).toBe(3);
    expect(patched.metadata?.generation).toBe(2);
    expect(
      patched.spec?.template.spec?.containers.map((c) => [c.name, c.image, c.ports?.length ?? 0]),
    ).toEqual([
      ['web', 'nginx:1.27', 1],
      ['log', 'busybox', 0],
    ]);

    await apps.patchNamespacedDeploymentStatus(
      {
        name: 'web',
        namespace: 'default',
        body: {
          status: {
            replicas: 3,
            conditions: [
              { type: 'Available', status: 'False' },
              { type: 'Progressing', status: 'True' },
            ],
          },
        },
      },
      strategic,
    );
    const status = await apps.patchNamespacedDeploymentStatus(
      {
        name: 'web',
        namespace: 'default',
        body: { spec: { replicas: 9 }, status: { conditions: [{ type: 'Available', status: 'True' }] } },
      },
      strategic,
    );
    expect(status.spec?.replicas).toBe(3);
    expect(status.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Available=True',
      'Progressing=True',
    ]);

    const scale = await apps.replaceNamespacedDeploymentScale({
      name: 'web',
      namespace: 'default',
      body: { metadata: { name: 'web' }, spec: { replicas: 5 } },
    });
    expect(scale.spec?.replicas).toBe(5);
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).spec?.replicas).toBe(
      5,
    );
  });

  it('page lists with limit and continue, returning every item exactly once', async () => {
    const objects = Array.from({ length: 37 }, (_, i): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: i % 2 === 0 ? 'default' : 'kube-system' },
    }));
    await using sim = await cluster({ objects });
    const core = kubeConfig(sim).makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listConfigMapForAllNamespaces({
        limit: 10,
        ...(token === undefined ? {} : { _continue: token }),
      });
      seen.push(...page.items.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`));
      token = page.metadata?._continue;
      pages++;
    } while (token !== undefined && token !== '');
    expect(pages).toBe(4);
    expect(seen).toHaveLength(37);
    expect(new Set(seen)).toEqual(new Set(objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)));
  });
});
