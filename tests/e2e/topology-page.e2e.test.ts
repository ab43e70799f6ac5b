/**
 * The live topology page (/topology) in a real browser: Debian chromium driven by playwright-core against the
 * demo (simulated clusters, cluster subgraphs, router) started in-process. The page loads from the gateway
 * only, shows every cluster and node of the demo, shows a node added with kubectl without a reload, highlights
 * the alarm the demo timeline raises (a node going NotReady), resumes from its cursors after its connection
 * drops, and shows a cluster whose subgraph stopped as unavailable until it is back. Screenshots go to docs/topology*.png.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { applyStep } from '../../sim/scenario/timeline-actions.ts';
import { haveChromium, launchChromium } from '../../testing/chromium.ts';
import { kubectlCreateNode } from '../../testing/kube-tools.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

let demo: Demo;
let browser: BrowserContext;
let profileDir: string;
let kubeconfigDir: string;
let page: Page;
const foreign: string[] = [];

/** What the page's graph holds (the cytoscape instance the page exposes as `window.topologyGraph`). */
interface GraphElement {
  id: string;
  kind: string;
  label: string;
  severity?: string;
  available?: boolean;
}

async function graphElements(): Promise<GraphElement[]> {
  return page.evaluate(() => {
    const cy = (
      window as unknown as { topologyGraph?: { nodes(): { map<T>(f: (n: { data(): unknown }) => T): T[] } } }
    ).topologyGraph;
    return cy === undefined ? [] : cy.nodes().map((n) => n.data() as GraphElement);
  });
}

/** Bounded polling of the page (no timing assertion: it only bounds the wait). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 240): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!haveChromium)('the topology page in chromium', () => {
  beforeAll(async () => {
    kubeconfigDir = await mkdtemp(join(tmpdir(), 'netweave-topology-page-'));
    demo = await startDemo({
      port: 0,
      timeline: false,
      kubeconfigDir,
      logger: createLogger('silent'),
      gateway: { logLevel: 'silent', shards: { timeoutMs: 2_000, failureThreshold: 2, cooldownMs: 500 } },
    });
    profileDir = await mkdtemp(join(tmpdir(), 'netweave-chromium-'));
    browser = await launchChromium(profileDir, { width: 1600, height: 1000 });
    page = await browser.newPage();
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(demo.gateway.url) && !url.startsWith(demo.gateway.url.replace('http', 'ws')))
        foreign.push(url);
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
    if (kubeconfigDir) await rm(kubeconfigDir, { recursive: true, force: true });
  });

  it('shows every cluster and node of the demo, loaded from the gateway only', async () => {
    await page.goto(`${demo.gateway.url}/topology`, { waitUntil: 'load' });
    const expected = demo.scenario.clusters.flatMap((cluster) =>
      demo.clusters
        .get(cluster.name)!
        .objects.list('v1', 'Node')
        .map((node) => `node:${cluster.name}/${node.metadata.name}`),
    );
    const elements = await eventually(async () => {
      const shown = await graphElements();
      const ids = new Set(shown.map((e) => e.id));
      return expected.every((id) => ids.has(id)) ? shown : undefined;
    }, 'every node of the demo on the page');
    const clusters = elements.filter((e) => e.kind === 'cluster').map((e) => e.label);
    expect(clusters.sort()).toEqual(demo.scenario.clusters.map((c) => `cluster ${c.name}`).sort());
    expect(elements.some((e) => e.kind === 'site')).toBe(true);
    expect(elements.some((e) => e.kind === 'pool')).toBe(true);
    expect(elements.some((e) => e.kind === 'pod')).toBe(true);
    expect(elements.some((e) => e.kind === 'workload')).toBe(true);
    expect(await page.locator('#status').innerText()).toBe('live');
    await page.screenshot({ path: join(DOCS, 'topology.png') });
    expect(foreign).toEqual([]);
  }, 120_000);

  it('shows a node added with kubectl without a reload, and its details on click', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const name = 'edge-1-page-added';
    await kubectlCreateNode(join(kubeconfigDir, 'edge-1.kubeconfig'), name, kubeconfigDir);
    await eventually(
      async () => ((await graphElements()).some((e) => e.id === `node:edge-1/${name}`) ? true : undefined),
      'the kubectl node on the page',
    );
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    // Search narrows the graph to it; its details name it.
    await page.fill('#search', name);
    await page.evaluate((id) => {
      const cy = (
        window as unknown as { topologyGraph: { getElementById(id: string): { emit(e: string): void } } }
      ).topologyGraph;
      cy.getElementById(id).emit('tap');
    }, `node:edge-1/${name}`);
    const details = await page.locator('#details').innerText();
    expect(details).toContain(name);
    expect(details).toContain('ready');
    await page.screenshot({ path: join(DOCS, 'topology-search.png') });
    await page.fill('#search', '');
  }, 120_000);

  it('highlights the alarm the demo timeline raises (a node going NotReady)', async () => {
    const step = demo.scenario.timeline.find((s) => s.action === 'setNodeReady');
    expect(step).toBeDefined();
    applyStep(step!, demo.clusters.get(step!.cluster)!.objects, Date.now());
    const nodeName = (step as { node: string }).node;
    const alarmed = await eventually(async () => {
      const node = (await graphElements()).find((e) => e.id === `node:${step!.cluster}/${nodeName}`);
      return node?.severity === undefined ? undefined : node;
    }, 'the alarm highlighted on its node');
    expect(alarmed.severity).toBe('MAJOR');
    expect(await page.locator('#alarms').innerText()).toContain('MAJOR');
    await page.screenshot({ path: join(DOCS, 'topology-alarm.png') });
  }, 120_000);

  it('resumes from its cursors after the connection drops: a node added meanwhile arrives, no snapshot again', async () => {
    type StreamState = { snapshots: number; connections: number };
    const before = await page.evaluate(() => {
      const w = window as unknown as { topologyState: StreamState; topologyConnection: { drop(): void } };
      w.topologyConnection.drop();
      return { snapshots: w.topologyState.snapshots, connections: w.topologyState.connections };
    });
    const name = 'edge-1-while-dropped';
    await kubectlCreateNode(join(kubeconfigDir, 'edge-1.kubeconfig'), name, kubeconfigDir);
    await eventually(
      async () => ((await graphElements()).some((e) => e.id === `node:edge-1/${name}`) ? true : undefined),
      'the node added while the page was disconnected',
    );
    const after = await page.evaluate(
      () => (window as unknown as { topologyState: StreamState }).topologyState,
    );
    expect(after.connections).toBeGreaterThan(before.connections);
    // A fresh subscription would have brought a snapshot per cluster; the resumed one brings none.
    expect(after.snapshots).toBe(before.snapshots);
  }, 120_000);

  it('shows a cluster whose subgraph stopped as unavailable', async () => {
    await demo.subgraphs.get('edge-2')!.close();
    await eventually(async () => {
      const cluster = (await graphElements()).find((e) => e.id === 'cluster:edge-2');
      return cluster?.available === false ? cluster : undefined;
    }, 'edge-2 unavailable on the page');
    expect(await page.locator('#clusters').innerText()).toContain('edge-2: cluster unavailable');
    await page.screenshot({ path: join(DOCS, 'topology-unavailable.png') });
    // Back on a new port, re-registered as an operator would: the page shows the cluster available again.
    const restarted = await demo.startSubgraph('edge-2');
    await demo.gateway.registry.register({ clusterId: 'edge-2', url: restarted.url, wsUrl: restarted.wsUrl });
    await eventually(async () => {
      const cluster = (await graphElements()).find((e) => e.id === 'cluster:edge-2');
      return cluster?.available === true ? cluster : undefined;
    }, 'edge-2 available again on the page');
  }, 120_000);
});
