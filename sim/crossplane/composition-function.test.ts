/**
 * The composition function stand-in against the real API of a simulated management cluster: a composite
 * becomes a new cluster that client-node reaches with the kubeconfig Secret; a failing one never turns
 * Ready; a changed spec resizes the cluster; deletion stops it and releases the finalizer.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../cluster.ts';
import { startSimCluster } from '../cluster.ts';
import type { KubeObject } from '../types.ts';
import {
  type CompositionFunction,
  FAIL_ANNOTATION,
  startCompositionFunction,
} from './composition-function.ts';
import { crossplaneCrds } from './crds.ts';

const NAMESPACE = 'provisioning';
const XRD: KubeObject = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'edgeclusters.edge.netweave.io' },
  spec: {
    group: 'edge.netweave.io',
    scope: 'Namespaced',
    names: { kind: 'EdgeCluster', plural: 'edgeclusters' },
    versions: [{ name: 'v1alpha1', served: true, referenceable: true }],
  },
};

function composite(
  name: string,
  parameters: Record<string, unknown>,
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'edge.netweave.io/v1alpha1',
    kind: 'EdgeCluster',
    metadata: { name, namespace: NAMESPACE, annotations },
    spec: { parameters },
  };
}

function conditions(object: KubeObject | undefined): Record<string, string> {
  const list =
    (object?.['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)
      ?.conditions ?? [];
  return Object.fromEntries(list.map((c) => [c.type, c.status]));
}

async function until<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('composition function', () => {
  let management: SimCluster | undefined;
  let fn: CompositionFunction | undefined;
  afterEach(async () => {
    await fn?.stop();
    await management?.close();
  });

  async function start(): Promise<SimCluster> {
    management = await startSimCluster({
      name: 'mgmt',
      objects: [
        ...crossplaneCrds(),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
        XRD,
      ],
    });
    fn = startCompositionFunction({ management, readyDelayMs: 10, podStartDelayMs: 0 });
    return management;
  }

  it('generates the composite CRD, creates a cluster with the Secret, resizes it and deletes it', async () => {
    const mgmt = await start();
    expect(
      mgmt.objects.get(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        'edgeclusters.edge.netweave.io',
      ),
    ).toBeDefined();
    mgmt.objects.create(composite('edge-9', { nodeCount: 2 }));
    const ready = await until(() => {
      const xr = mgmt.objects.get('edge.netweave.io/v1alpha1', 'EdgeCluster', 'edge-9', NAMESPACE);
      return conditions(xr)['Ready'] === 'True' ? xr : undefined;
    }, 'Ready');
    expect(conditions(ready)['Synced']).toBe('True');
    expect(ready.metadata.finalizers).toContain('composite.apiextensions.crossplane.io');

    const secret = mgmt.objects.get('v1', 'Secret', 'edge-9-kubeconfig', NAMESPACE);
    const data = (secret?.['data'] as Record<string, string> | undefined)?.['kubeconfig'];
    expect(data).toBeDefined();
    const kc = new KubeConfig();
    kc.loadFromString(Buffer.from(data!, 'base64').toString('utf8'));
    expect(kc.getCurrentCluster()?.server).toMatch(/^https:/);
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).toEqual([
      'edge-9-node-01',
      'edge-9-node-02',
    ]);

    const current = mgmt.objects.get('edge.netweave.io/v1alpha1', 'EdgeCluster', 'edge-9', NAMESPACE)!;
    mgmt.objects.update({ ...current, spec: { parameters: { nodeCount: 3 } } });
    await fn!.idle();
    expect((await core.listNode()).items).toHaveLength(3);

    mgmt.objects.delete('edge.netweave.io/v1alpha1', 'EdgeCluster', 'edge-9', NAMESPACE);
    await until(
      () => mgmt.objects.get('edge.netweave.io/v1alpha1', 'EdgeCluster', 'edge-9', NAMESPACE) === undefined,
      'the composite to go',
    );
    expect(mgmt.objects.get('v1', 'Secret', 'edge-9-kubeconfig', NAMESPACE)).toBeUndefined();
    expect(fn!.clusters.size).toBe(0);
    await expect(core.listNode()).rejects.toThrow();
  });

  it('fails a composite with the fail annotation: Synced=False with the message, never Ready, no cluster', async () => {
    const mgmt = await start();
    mgmt.objects.create(
      composite('edge-bad', { nodeCount: 1 }, { [FAIL_ANNOTATION]: 'no capacity at site' }),
    );
    const xr = await until(() => {
      const object = mgmt.objects.get('edge.netweave.io/v1alpha1', 'EdgeCluster', 'edge-bad', NAMESPACE);
      return conditions(object)['Synced'] === 'False' ? object : undefined;
    }, 'Synced=False');
    await fn!.idle();
    expect(conditions(xr)['Ready']).toBe('False');
    const synced = (
      xr['status'] as { conditions: Array<{ type: string; message?: string }> }
    ).conditions.find((c) => c.type === 'Synced');
    expect(synced?.message).toContain('no capacity at site');
    expect(fn!.clusters.size).toBe(0);
  });
});
