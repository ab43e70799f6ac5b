// The live topology page (docs/graphql.md "Topology page"): O-Cloud → sites → clusters → pools → nodes → pods,
// and clusters → Helm releases (NF deployments) → workloads, drawn with cytoscape. Live over graphql-ws:
// `Subscription.topology` gives a snapshot per cluster and then changes; on reconnect the page passes the last
// cursor of each cluster, so it gets what it missed without reloading. Alarms come from `oCloud { alarms }` and
// `alarmChanged`. A cluster whose shard does not answer is shown as unavailable.
//
// Browser code only: it talks to the gateway over HTTP and graphql-ws, like any other client.
import cytoscape from '/topology/assets/cytoscape/cytoscape.esm.min.mjs';
import { createClient } from '/topology/assets/graphql-ws/client.js';

const TOKEN_KEY = 'netweave.topology.token';
const INVENTORY_REFRESH_MS = 10_000;

const SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE'];
const SEVERITY_COLOURS = {
  CRITICAL: '#d0021b',
  MAJOR: '#f5761a',
  MINOR: '#f8c100',
  WARNING: '#2f80ed',
  INDETERMINATE: '#8e44ad',
};

const INVENTORY = `{
  oCloud { oCloudId name clusters { clusterId } }
  oCloudSites { oCloudSiteId name description }
  clusters {
    clusterId name kubernetesVersion oCloudSiteId
    deploymentManager { deploymentManagerId }
    resourcePools { resourcePoolId name }
  }
}`;

// Needs dms:read; a caller without it simply sees no releases.
const DEPLOYMENTS = `{
  helmReleases {
    clusterId namespace name status chart revision
    workloads { kind namespace name }
    nfDeployment { vnfInstanceId vnfInstanceName instantiationState }
  }
}`;

const ALARM_FIELDS = `alarmEventRecordId alarmName resourceId clusterId resourcePoolId severity perceivedSeverity
  alarmRaisedTime alarmAcknowledged source`;
const ALARMS = `{ oCloud { alarms { ${ALARM_FIELDS} } } }`;
const ALARM_CHANGES = `subscription { alarmChanged { kind alarm { ${ALARM_FIELDS} } } }`;

const NODE_FIELDS =
  'name ready resourceId resourcePoolId labels capacity allocatable conditions { type status reason }';
const POD_FIELDS = 'namespace name phase ready nodeName restarts workload { kind namespace name }';
const WORKLOAD_FIELDS = 'kind namespace name replicas readyReplicas';
const TOPOLOGY = `subscription Topology($after: [String!]) {
  topology(after: $after) {
    clusterId kind cursor reset
    snapshot { nodes { ${NODE_FIELDS} } pods { ${POD_FIELDS} } workloads { ${WORKLOAD_FIELDS} } }
    change { kind eventType namespace name node { ${NODE_FIELDS} } pod { ${POD_FIELDS} } workload { ${WORKLOAD_FIELDS} } }
  }
}`;

// ── state ─────────────────────────────────────────────────────────────────────────────────────────────
const state = {
  oCloud: { oCloudId: 'ocloud', name: 'O-Cloud' },
  sites: new Map(),
  /** clusterId → { info, nodes, pods, workloads, releases, available, reason } */
  clusters: new Map(),
  alarms: new Map(),
  /** clusterId → the last topology cursor received: the resume vector. */
  cursors: new Map(),
  updates: 0,
  snapshots: 0,
  resets: 0,
  connections: 0,
};

function clusterState(clusterId) {
  let cluster = state.clusters.get(clusterId);
  if (cluster === undefined) {
    cluster = {
      clusterId,
      info: null,
      nodes: new Map(),
      pods: new Map(),
      workloads: new Map(),
      releases: [],
      available: true,
      reason: '',
    };
    state.clusters.set(clusterId, cluster);
  }
  return cluster;
}

const podKey = (p) => `${p.namespace}/${p.name}`;
const workloadKey = (w) => `${w.kind}/${w.namespace}/${w.name}`;

// ── transport ─────────────────────────────────────────────────────────────────────────────────────────
function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

async function graphql(query, variables = {}) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token() !== '') headers.authorization = `Bearer ${token()}`;
  const response = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }));
  if (response.status === 401 || response.status === 403) setStatus('error', 'sign in: enter a bearer token');
  return body;
}

function clusterIdOfError(error) {
  const extensions = error?.extensions ?? {};
  if (extensions.code !== 'SHARD_UNAVAILABLE' && extensions.code !== 'SHARD_STALE') return undefined;
  return typeof extensions.clusterId === 'string' ? extensions.clusterId : undefined;
}

async function loadInventory() {
  const result = await graphql(INVENTORY);
  const data = result.data ?? {};
  if (data.oCloud) {
    state.oCloud = data.oCloud;
    document.getElementById('ocloud-name').textContent = data.oCloud.name;
    for (const { clusterId } of data.oCloud.clusters.filter(Boolean)) clusterState(clusterId);
  }
  for (const site of data.oCloudSites ?? []) if (site) state.sites.set(site.oCloudSiteId, site);
  const answered = new Set();
  for (const info of data.clusters ?? []) {
    if (!info) continue;
    const cluster = clusterState(info.clusterId);
    cluster.info = info;
    answered.add(info.clusterId);
  }
  const down = new Map();
  for (const error of result.errors ?? []) {
    const clusterId = clusterIdOfError(error);
    if (clusterId !== undefined) down.set(clusterId, error.message);
  }
  for (const cluster of state.clusters.values()) {
    if (down.has(cluster.clusterId)) markUnavailable(cluster.clusterId, down.get(cluster.clusterId));
    else if (answered.has(cluster.clusterId)) markAvailable(cluster.clusterId);
  }
  const deployments = await graphql(DEPLOYMENTS);
  for (const cluster of state.clusters.values()) {
    if (!deployments.data) break;
    cluster.releases = (deployments.data.helmReleases ?? []).filter(
      (r) => r && r.clusterId === cluster.clusterId,
    );
  }
  scheduleRender();
}

async function loadAlarms() {
  const result = await graphql(ALARMS);
  const alarms = result.data?.oCloud?.alarms;
  if (!Array.isArray(alarms)) return;
  state.alarms = new Map(alarms.map((a) => [a.alarmEventRecordId, a]));
  scheduleRender();
}

function markUnavailable(clusterId, reason) {
  const cluster = clusterState(clusterId);
  cluster.available = false;
  cluster.reason = reason ?? 'unavailable';
  scheduleRender();
}

function markAvailable(clusterId) {
  const cluster = clusterState(clusterId);
  if (cluster.available) return;
  cluster.available = true;
  cluster.reason = '';
  scheduleRender();
}

function applyTopology(update) {
  const cluster = clusterState(update.clusterId);
  state.cursors.set(update.clusterId, update.cursor);
  state.updates += 1;
  markAvailable(update.clusterId);
  if (update.kind === 'SNAPSHOT') {
    // A snapshot replaces what is held for the cluster (a reset one means changes were lost meanwhile).
    state.snapshots += 1;
    if (update.reset) state.resets += 1;
    cluster.nodes = new Map(update.snapshot.nodes.map((n) => [n.name, n]));
    cluster.pods = new Map(update.snapshot.pods.map((p) => [podKey(p), p]));
    cluster.workloads = new Map(update.snapshot.workloads.map((w) => [workloadKey(w), w]));
  } else {
    const change = update.change;
    const deleted = change.eventType === 'DELETED';
    if (change.kind === 'NODE') {
      if (deleted) cluster.nodes.delete(change.name);
      else cluster.nodes.set(change.name, change.node);
      const knownPool = cluster.info?.resourcePools.some(
        (p) => p.resourcePoolId === change.node?.resourcePoolId,
      );
      if (!deleted && !knownPool) void loadInventory();
    } else if (change.kind === 'POD') {
      if (deleted) cluster.pods.delete(podKey(change.pod));
      else cluster.pods.set(podKey(change.pod), change.pod);
    } else if (change.kind === 'WORKLOAD') {
      if (deleted) cluster.workloads.delete(workloadKey(change.workload));
      else cluster.workloads.set(workloadKey(change.workload), change.workload);
      void loadInventory(); // releases follow their workloads
    }
  }
  scheduleRender();
}

function applyAlarmChange(event) {
  if (event.kind === 'CLEAR') state.alarms.delete(event.alarm.alarmEventRecordId);
  else state.alarms.set(event.alarm.alarmEventRecordId, event.alarm);
  scheduleRender();
}

let client;
let reconnectAttempt = 0;

function setStatus(kind, text) {
  const status = document.getElementById('status');
  status.className = `status ${kind}`;
  status.textContent = text;
}

/** One connection: the topology stream resumed from the cursors held, and the alarm changes. */
function connect() {
  const params = token() === '' ? {} : { authorization: `Bearer ${token()}` };
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  // The page reconnects itself (not graphql-ws's retry), so each new subscription carries the newest cursors.
  client = createClient({ url, connectionParams: params, retryAttempts: 0, lazy: true, keepAlive: 15_000 });
  let dropped = false;
  const drop = (reason) => {
    if (dropped) return;
    dropped = true;
    const delay = Math.min(10_000, 500 * 2 ** reconnectAttempt);
    reconnectAttempt += 1;
    setStatus('reconnecting', `reconnecting (${reason})…`);
    void client.dispose();
    setTimeout(connect, delay);
  };
  client.on('connected', () => {
    reconnectAttempt = 0;
    state.connections += 1;
    setStatus('live', 'live');
    // alarmChanged is live only: read the current alarms on every (re)connect.
    void loadAlarms();
  });
  client.subscribe(
    { query: TOPOLOGY, variables: { after: [...state.cursors.values()] } },
    {
      next: (result) => {
        for (const error of result.errors ?? []) {
          const clusterId = clusterIdOfError(error);
          if (clusterId !== undefined) markUnavailable(clusterId, error.message);
          else if (error.extensions?.code === 'BAD_USER_INPUT') state.cursors.clear(); // start afresh
        }
        if (result.data?.topology) applyTopology(result.data.topology);
      },
      error: (error) => drop(error?.reason || error?.message || 'connection lost'),
      complete: () => drop('stream ended'),
    },
  );
  client.subscribe(
    { query: ALARM_CHANGES },
    {
      next: (result) => {
        if (result.data?.alarmChanged) applyAlarmChange(result.data.alarmChanged);
      },
      error: () => drop('connection lost'),
      complete: () => drop('stream ended'),
    },
  );
}

// ── graph ─────────────────────────────────────────────────────────────────────────────────────────────
// The hierarchy is drawn as nested boxes (cytoscape compound nodes): O-Cloud ⊃ sites ⊃ clusters ⊃ pools ⊃
// nodes ⊃ pods, and in each cluster its Helm releases (NF deployments) ⊃ workloads. Leaves are placed on a
// grid per box (placeLeaves); the boxes size themselves around their children.
const cy = cytoscape({
  container: document.getElementById('graph'),
  wheelSensitivity: 0.3,
  minZoom: 0.05,
  autoungrabify: true,
  style: [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 2,
        'background-color': '#7b8794',
        width: 10,
        height: 10,
        'border-width': 0,
      },
    },
    {
      selector: ':parent',
      style: {
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'background-opacity': 0.08,
        'border-width': 1,
        'border-color': '#9aa5b1',
        padding: 10,
        shape: 'round-rectangle',
      },
    },
    {
      selector: 'node[kind="ocloud"]',
      style: { 'font-size': 16, 'font-weight': 'bold', 'background-color': '#1d2a3a', padding: 24 },
    },
    {
      selector: 'node[kind="site"]',
      style: { 'font-size': 14, 'background-color': '#3b6ea5', 'border-color': '#3b6ea5', padding: 18 },
    },
    {
      selector: 'node[kind="cluster"]',
      style: {
        'font-size': 14,
        'font-weight': 'bold',
        'background-color': '#2e8b57',
        'border-color': '#2e8b57',
        'border-width': 2,
        padding: 14,
      },
    },
    {
      selector: 'node[kind="cluster"][!available]',
      style: {
        'background-color': '#b22222',
        'background-opacity': 0.12,
        'border-width': 4,
        'border-style': 'dashed',
        'border-color': '#b22222',
        color: '#b22222',
      },
    },
    {
      selector: 'node[kind="cluster"]:childless',
      style: {
        width: 160,
        height: 60,
        shape: 'round-rectangle',
        'text-valign': 'center',
        'background-opacity': 0.15,
      },
    },
    {
      selector: 'node[kind="pool"]',
      style: { 'font-size': 11, 'background-color': '#5f9ea0', 'border-color': '#5f9ea0' },
    },
    {
      selector: 'node[kind="node"]',
      style: {
        'font-size': 10,
        'background-color': '#4a90d9',
        'border-color': '#4a90d9',
        shape: 'rectangle',
        width: 70,
        height: 24,
      },
    },
    {
      selector: 'node[kind="node"]:childless',
      style: { 'background-opacity': 0.25, 'border-width': 1, 'text-valign': 'center', 'text-margin-y': 0 },
    },
    {
      selector: 'node[kind="node"][!ready]',
      style: { 'background-color': '#9aa5b1', 'border-style': 'dashed' },
    },
    {
      selector: 'node[kind="pod"]',
      style: { 'background-color': '#5cb85c', label: '', width: 9, height: 9 },
    },
    { selector: 'node[kind="pod"][!ready]', style: { 'background-color': '#e0a030' } },
    {
      selector: 'node[kind="deployments"]',
      style: { 'font-size': 11, 'background-color': '#8e6cc0', 'border-color': '#8e6cc0' },
    },
    {
      selector: 'node[kind="release"]',
      style: { 'font-size': 10, 'background-color': '#8e6cc0', 'border-color': '#8e6cc0' },
    },
    {
      selector: 'node[kind="workload"]',
      style: { 'background-color': '#8e6cc0', shape: 'triangle', width: 12, height: 12, label: '' },
    },
    {
      selector: 'node[severity]',
      style: {
        'border-width': 5,
        'border-style': 'solid',
        'border-color': 'data(severityColour)',
        'background-color': 'data(severityColour)',
        'background-opacity': 0.35,
      },
    },
    {
      selector: 'node[kind="pod"][severity], node[kind="workload"][severity]',
      style: { 'background-opacity': 1, 'border-width': 2 },
    },
    { selector: '.faded', style: { opacity: 0.15 } },
    {
      selector: '.match',
      style: { 'border-width': 3, 'border-color': '#111', label: 'data(label)', 'z-index': 10 },
    },
    {
      selector: 'node:selected',
      style: {
        'overlay-color': '#1d2a3a',
        'overlay-opacity': 0.25,
        'overlay-padding': 4,
        label: 'data(label)',
        'z-index': 10,
      },
    },
  ],
});
// Tests and curious operators can read the graph and the stream's state from the console, and drop the
// connection to watch the page resume.
window.topologyGraph = cy;
window.topologyState = state;
window.topologyConnection = { drop: () => client?.terminate() };

/** The graph element an alarm belongs to: its node, its cluster's deployment manager, its pool, its cluster. */
function alarmTarget(alarm) {
  for (const cluster of state.clusters.values()) {
    for (const node of cluster.nodes.values()) {
      if (node.resourceId === alarm.resourceId) return `node:${cluster.clusterId}/${node.name}`;
    }
    if (cluster.info?.deploymentManager?.deploymentManagerId === alarm.resourceId)
      return `cluster:${cluster.clusterId}`;
  }
  if (alarm.resourcePoolId) return `pool:${alarm.resourcePoolId}`;
  if (alarm.clusterId) return `cluster:${alarm.clusterId}`;
  return 'ocloud';
}

/** The most severe open alarm per graph element. */
function severities() {
  const worst = new Map();
  for (const alarm of state.alarms.values()) {
    if (alarm.severity === 'CLEARED') continue;
    const target = alarmTarget(alarm);
    const current = worst.get(target);
    if (current === undefined || SEVERITIES.indexOf(alarm.severity) < SEVERITIES.indexOf(current)) {
      worst.set(target, alarm.severity);
    }
  }
  return worst;
}

const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The boxes and leaves to draw, each leaf with its place: `grid` boxes hold leaves in rows of `columns`,
 * `stack` boxes hold boxes one under the other, `row` boxes side by side.
 */
function desiredElements() {
  const showPods = document.getElementById('show-pods').checked;
  const showWorkloads = document.getElementById('show-workloads').checked;
  const nodes = [];
  const add = (id, kind, label, parent, extra = {}) => {
    const data = { id, kind, label, ...extra };
    if (parent !== undefined) data.parent = parent;
    nodes.push(data);
    return id;
  };
  /** The layout tree: { id, arrange: 'row' | 'stack' | 'grid', columns?, cell?, children: [] } */
  const root = { id: 'ocloud', arrange: 'row', children: [] };
  add('ocloud', 'ocloud', state.oCloud.name);
  const sites = new Map();
  for (const cluster of [...state.clusters.values()].sort((a, b) => byText(a.clusterId, b.clusterId))) {
    const siteId = cluster.info?.oCloudSiteId ?? 'unknown';
    let site = sites.get(siteId);
    if (site === undefined) {
      const id = add(`site:${siteId}`, 'site', `site ${state.sites.get(siteId)?.name ?? siteId}`, 'ocloud', {
        siteId,
      });
      site = { id, arrange: 'row', children: [] };
      sites.set(siteId, site);
      root.children.push(site);
    }
    const clusterId = add(
      `cluster:${cluster.clusterId}`,
      'cluster',
      cluster.available ? `cluster ${cluster.clusterId}` : `cluster ${cluster.clusterId} — unavailable`,
      site.id,
      {
        clusterId: cluster.clusterId,
        available: cluster.available,
      },
    );
    const clusterBox = { id: clusterId, arrange: 'stack', children: [] };
    site.children.push(clusterBox);
    const pools = new Map((cluster.info?.resourcePools ?? []).map((p) => [p.resourcePoolId, p.name]));
    for (const node of cluster.nodes.values())
      if (!pools.has(node.resourcePoolId)) pools.set(node.resourcePoolId, 'pool');
    const podsByNode = new Map();
    if (showPods) {
      for (const pod of [...cluster.pods.values()].sort((a, b) => byText(podKey(a), podKey(b)))) {
        if (!pod.nodeName || !cluster.nodes.has(pod.nodeName)) continue; // Pending pods have no node to sit in
        if (!podsByNode.has(pod.nodeName)) podsByNode.set(pod.nodeName, []);
        podsByNode.get(pod.nodeName).push(pod);
      }
    }
    for (const [poolId, name] of [...pools].sort((a, b) => byText(a[1], b[1]))) {
      const poolBox = {
        id: add(`pool:${poolId}`, 'pool', `pool ${name}`, clusterId, {
          clusterId: cluster.clusterId,
          poolId,
        }),
        arrange: 'wrap',
        columns: 4,
        children: [],
      };
      clusterBox.children.push(poolBox);
      const poolNodes = [...cluster.nodes.values()]
        .filter((n) => n.resourcePoolId === poolId)
        .sort((a, b) => byText(a.name, b.name));
      for (const node of poolNodes) {
        const id = add(`node:${cluster.clusterId}/${node.name}`, 'node', node.name, poolBox.id, {
          clusterId: cluster.clusterId,
          name: node.name,
          ready: node.ready,
        });
        const nodeBox = { id, arrange: 'grid', columns: 6, cell: 14, children: [] };
        poolBox.children.push(nodeBox);
        for (const pod of podsByNode.get(node.name) ?? []) {
          nodeBox.children.push({
            id: add(`pod:${cluster.clusterId}/${podKey(pod)}`, 'pod', `${pod.namespace}/${pod.name}`, id, {
              clusterId: cluster.clusterId,
              key: podKey(pod),
              ready: pod.ready,
            }),
          });
        }
      }
    }
    if (showWorkloads && cluster.workloads.size > 0) {
      const deployments = {
        id: add(`deployments:${cluster.clusterId}`, 'deployments', 'workloads and deployments', clusterId, {
          clusterId: cluster.clusterId,
        }),
        arrange: 'wrap',
        columns: 3,
        children: [],
      };
      clusterBox.children.push(deployments);
      const released = new Map();
      for (const release of [...cluster.releases].sort((a, b) => byText(a.name, b.name))) {
        const label = release.nfDeployment
          ? `NF ${release.nfDeployment.vnfInstanceName ?? release.name}`
          : `release ${release.name}`;
        const box = {
          id: add(
            `release:${cluster.clusterId}/${release.namespace}/${release.name}`,
            'release',
            label,
            deployments.id,
            { clusterId: cluster.clusterId, release: `${release.namespace}/${release.name}` },
          ),
          arrange: 'grid',
          columns: 4,
          cell: 20,
          children: [],
        };
        deployments.children.push(box);
        for (const w of release.workloads) released.set(workloadKey(w), box);
      }
      const loose = {
        id: add(`namespace-workloads:${cluster.clusterId}`, 'release', 'other workloads', deployments.id, {
          clusterId: cluster.clusterId,
        }),
        arrange: 'grid',
        columns: 8,
        cell: 20,
        children: [],
      };
      for (const workload of [...cluster.workloads.values()].sort((a, b) =>
        byText(workloadKey(a), workloadKey(b)),
      )) {
        const box = released.get(workloadKey(workload)) ?? loose;
        box.children.push({
          id: add(
            `workload:${cluster.clusterId}/${workloadKey(workload)}`,
            'workload',
            `${workload.kind} ${workload.namespace}/${workload.name} ${workload.readyReplicas}/${workload.replicas}`,
            box.id,
            { clusterId: cluster.clusterId, key: workloadKey(workload) },
          ),
        });
      }
      if (loose.children.length > 0) deployments.children.push(loose);
      else
        nodes.splice(
          nodes.findIndex((n) => n.id === loose.id),
          1,
        );
    }
  }
  const worst = severities();
  for (const node of nodes) {
    const severity = worst.get(node.id);
    if (severity !== undefined) {
      node.severity = severity;
      node.severityColour = SEVERITY_COLOURS[severity] ?? '#999';
    }
  }
  return { nodes, root };
}

/** Compound padding per box kind (the `padding` of the styles above) and the room its label takes on top. */
const BOX_PADDING = { ocloud: 24, site: 18, cluster: 14 };
const LABEL_ROOM = 16;

/**
 * Places the leaves of a layout box whose outer top-left corner is (x, y); returns its outer size. A box's
 * drawn size is its children's extent plus its padding, so the padding is counted here too: siblings never overlap.
 */
function placeLeaves(box, x, y, positions) {
  const children = box.children ?? [];
  if (children.length === 0) {
    positions.set(box.id, { x: x + 40, y: y + 14 });
    return { w: 80, h: 28 };
  }
  const pad = BOX_PADDING[box.id.split(':')[0]] ?? 10;
  const inner = placeChildren(box, x + pad, y + pad + LABEL_ROOM, positions);
  return { w: inner.w + 2 * pad, h: inner.h + 2 * pad + LABEL_ROOM };
}

function placeChildren(box, x, y, positions) {
  const children = box.children;
  if (box.arrange === 'grid') {
    const cell = box.cell ?? 14;
    children.forEach((leaf, i) =>
      positions.set(leaf.id, {
        x: x + (i % box.columns) * cell + cell / 2,
        y: y + Math.floor(i / box.columns) * cell + cell / 2,
      }),
    );
    return {
      w: Math.min(children.length, box.columns) * cell,
      h: Math.ceil(children.length / box.columns) * cell,
    };
  }
  const GAP = box.arrange === 'row' ? 30 : 14;
  if (box.arrange === 'stack') {
    let height = 0;
    let width = 0;
    for (const child of children) {
      const size = placeLeaves(child, x, y + height, positions);
      height += size.h + GAP;
      width = Math.max(width, size.w);
    }
    return { w: width, h: height - GAP };
  }
  // row, or wrap: side by side, a new row every `columns` children
  const columns = box.arrange === 'wrap' ? box.columns : Number.POSITIVE_INFINITY;
  let width = 0;
  let rowX = 0;
  let rowY = 0;
  let rowHeight = 0;
  children.forEach((child, i) => {
    if (i > 0 && i % columns === 0) {
      rowY += rowHeight + GAP;
      rowX = 0;
      rowHeight = 0;
    }
    const size = placeLeaves(child, x + rowX, y + rowY, positions);
    rowX += size.w + GAP;
    rowHeight = Math.max(rowHeight, size.h);
    width = Math.max(width, rowX - GAP);
  });
  return { w: width, h: rowY + rowHeight };
}

let renderTimer;
function scheduleRender() {
  if (renderTimer !== undefined) return;
  renderTimer = setTimeout(() => {
    renderTimer = undefined;
    render();
  }, 100);
}

/** Brings the graph to the state: adds, removes and updates elements; places them again when the shape changed. */
function render() {
  const { nodes, root } = desiredElements();
  const wanted = new Set(nodes.map((n) => n.id));
  let changedShape = false;
  cy.batch(() => {
    cy.nodes().forEach((element) => {
      if (!wanted.has(element.id())) {
        element.remove();
        changedShape = true;
      }
    });
    for (const data of nodes) {
      const existing = cy.getElementById(data.id);
      if (existing.nonempty()) {
        existing.removeData('severity severityColour');
        existing.data(data);
      } else {
        cy.add({ group: 'nodes', data });
        changedShape = true;
      }
    }
    if (changedShape) {
      const positions = new Map();
      placeLeaves(root, 0, 0, positions);
      cy.nodes().forEach((node) => {
        const position = positions.get(node.id());
        if (position !== undefined && node.isChildless()) node.position(position);
      });
    }
  });
  if (changedShape) cy.fit(undefined, 20);
  applySearch();
  renderSidebar();
}

function applySearch() {
  const text = document.getElementById('search').value.trim().toLowerCase();
  cy.batch(() => {
    cy.elements().removeClass('faded match');
    if (text === '') return;
    const matches = cy
      .nodes()
      .filter(
        (n) => String(n.data('label')).toLowerCase().includes(text) || n.id().toLowerCase().includes(text),
      );
    const keep = matches.union(matches.ancestors());
    cy.elements().not(keep).addClass('faded');
    matches.addClass('match');
  });
}

// ── sidebar ───────────────────────────────────────────────────────────────────────────────────────────
function li(text, className, onClick) {
  const item = document.createElement('li');
  item.textContent = text;
  if (className) item.className = className;
  if (onClick) item.addEventListener('click', onClick);
  return item;
}

function select(id) {
  const element = cy.getElementById(id);
  if (element.empty()) return;
  cy.elements().unselect();
  element.select();
  cy.animate({ center: { eles: element }, zoom: Math.max(cy.zoom(), 1) }, { duration: 200 });
  showDetails(element);
}

function renderSidebar() {
  const clusters = document.getElementById('clusters');
  clusters.replaceChildren(
    ...[...state.clusters.values()]
      .sort((a, b) => a.clusterId.localeCompare(b.clusterId))
      .map((c) =>
        li(
          c.available
            ? `${c.clusterId}: ${c.nodes.size} nodes, ${c.pods.size} pods, ${c.workloads.size} workloads`
            : `${c.clusterId}: cluster unavailable — ${c.reason}`,
          c.available ? 'available' : 'unavailable',
          () => select(`cluster:${c.clusterId}`),
        ),
      ),
  );
  const open = [...state.alarms.values()]
    .filter((a) => a.severity !== 'CLEARED')
    .sort(
      (a, b) =>
        a.perceivedSeverity - b.perceivedSeverity || b.alarmRaisedTime.localeCompare(a.alarmRaisedTime),
    );
  document.getElementById('alarm-count').textContent = `(${open.length})`;
  document
    .getElementById('alarms')
    .replaceChildren(
      ...open.map((a) =>
        li(`${a.severity} · ${a.alarmName} · ${a.clusterId ?? ''}`, `sev-${a.severity}`, () =>
          select(alarmTarget(a)),
        ),
      ),
    );
}

function row(key, value) {
  const tr = document.createElement('tr');
  const k = document.createElement('td');
  const v = document.createElement('td');
  k.textContent = key;
  v.textContent = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '—');
  tr.append(k, v);
  return tr;
}

function detailsOf(element) {
  const data = element.data();
  const cluster = data.clusterId ? state.clusters.get(data.clusterId) : undefined;
  const alarms = [...state.alarms.values()].filter((a) => alarmTarget(a) === data.id);
  const rows = [['kind', data.kind]];
  switch (data.kind) {
    case 'ocloud':
      rows.push(
        ['name', state.oCloud.name],
        ['oCloudId', state.oCloud.oCloudId],
        ['clusters', state.clusters.size],
      );
      break;
    case 'site': {
      const site = state.sites.get(data.siteId);
      rows.push(['name', site?.name], ['oCloudSiteId', data.siteId], ['description', site?.description]);
      break;
    }
    case 'cluster':
      rows.push(
        ['cluster', data.clusterId],
        ['state', cluster?.available ? 'available' : `cluster unavailable: ${cluster?.reason}`],
        ['Kubernetes', cluster?.info?.kubernetesVersion],
        ['nodes', cluster?.nodes.size],
        ['pods', cluster?.pods.size],
        [
          'NF deployments',
          cluster?.releases
            .filter((r) => r.nfDeployment)
            .map((r) => r.nfDeployment.vnfInstanceName ?? r.name)
            .join(', ') || 'none',
        ],
      );
      break;
    case 'pool':
      rows.push(
        ['resourcePoolId', data.poolId],
        [
          'nodes',
          [...(cluster?.nodes.values() ?? [])].filter((n) => n.resourcePoolId === data.poolId).length,
        ],
      );
      break;
    case 'node': {
      const node = cluster?.nodes.get(data.name);
      if (node) {
        rows.push(
          ['name', node.name],
          ['ready', node.ready],
          ['resourceId', node.resourceId],
          ['resourcePoolId', node.resourcePoolId],
        );
        rows.push([
          'conditions',
          node.conditions
            .filter((c) => c.status !== 'False' || c.type === 'Ready')
            .map((c) => `${c.type}=${c.status}`)
            .join(', '),
        ]);
        rows.push(['capacity', node.capacity], ['labels', node.labels]);
      }
      break;
    }
    case 'pod': {
      const pod = cluster?.pods.get(data.key);
      if (pod) {
        rows.push(
          ['pod', `${pod.namespace}/${pod.name}`],
          ['phase', pod.phase],
          ['ready', pod.ready],
          ['node', pod.nodeName],
          ['restarts', pod.restarts],
        );
        rows.push([
          'workload',
          pod.workload ? `${pod.workload.kind} ${pod.workload.namespace}/${pod.workload.name}` : 'none',
        ]);
      }
      break;
    }
    case 'workload': {
      const workload = cluster?.workloads.get(data.key);
      if (workload)
        rows.push(
          ['workload', `${workload.kind} ${workload.namespace}/${workload.name}`],
          ['ready', `${workload.readyReplicas}/${workload.replicas}`],
        );
      break;
    }
    case 'release': {
      const release = cluster?.releases.find((r) => `${r.namespace}/${r.name}` === data.release);
      if (release) {
        rows.push(
          ['release', data.release],
          ['status', release.status],
          ['chart', release.chart],
          ['revision', release.revision],
        );
        if (release.nfDeployment)
          rows.push(
            ['VNF instance', release.nfDeployment.vnfInstanceId],
            ['instantiation', release.nfDeployment.instantiationState],
          );
      }
      break;
    }
  }
  for (const alarm of alarms)
    rows.push([`alarm ${alarm.severity}`, `${alarm.alarmName} (since ${alarm.alarmRaisedTime})`]);
  return rows;
}

function showDetails(element) {
  const table = document.createElement('table');
  table.append(...detailsOf(element).map(([k, v]) => row(k, v)));
  document.getElementById('details').replaceChildren(table);
}

cy.on('tap', 'node', (event) => showDetails(event.target));
cy.on('tap', 'node[kind="workload"]', (event) => {
  // A workload's pods are drawn under their nodes: select them too.
  const { clusterId, key } = event.target.data();
  cy.nodes('[kind="pod"]')
    .filter((pod) => {
      const p = state.clusters.get(clusterId)?.pods.get(pod.data('key'));
      return pod.data('clusterId') === clusterId && p?.workload && workloadKey(p.workload) === key;
    })
    .select();
});
document.getElementById('search').addEventListener('input', applySearch);
document.getElementById('show-pods').addEventListener('change', render);
document.getElementById('show-workloads').addEventListener('change', render);
document.getElementById('token').value = token();
document.getElementById('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
  location.reload();
});

// ── start ─────────────────────────────────────────────────────────────────────────────────────────────
await loadInventory();
connect();
setInterval(() => void loadInventory(), INVENTORY_REFRESH_MS);
