/**
 * What the DMS conformance files share: one demo topology per file (simulated clusters, their cluster
 * subgraphs with job runners running the real helm binary, the gateway), a small HTTP client for the
 * vnflcm v2 / vnfpkgm v1 surface, the SOL003 V3.7.1 body schemas (skipped without ../shared), and a
 * probe chart whose pods can be held unready or unschedulable through Helm values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { expect, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startDemo, type Demo } from '../../../cli/demo.ts';
import type { GatewayConfigInput } from '../../../common/config.ts';
import { createLogger } from '../../../common/log.ts';
import { buildSamplePackage, tarGz } from '../../../dms/packages/samples.ts';
import { deploymentManagerIdOf } from '../../../rest-facade/dms/index.ts';
import { helmPath } from '../../../testing/kube-tools.ts';
import { REFERENCE_SPECS_DIR } from '../../../testing/openapi-contract.ts';

/** Links and Location are built on this base (the ETSI schemas' `format: url` refuses loopback hosts). */
export const PUBLIC_URL = 'https://o2.netweave.example';
export const VERSION = '2.14.0';
export const LCM = '/o2dms/vnflcm/v2';
export const PKGM = '/o2dms/vnfpkgm/v1';
/** A syntactically valid id that names nothing. */
export const UNKNOWN_ID = '0b0e5a4e-0000-4000-8000-000000000000';
export const EDGE_1 = deploymentManagerIdOf('edge-1');

export interface DmsDemo extends AsyncDisposable {
  readonly demo: Demo;
  /** The gateway's own origin (requests go there; answers name PUBLIC_URL). */
  readonly origin: string;
  readonly kubeconfigDir: string;
  close(): Promise<void>;
}

export async function startDmsDemo(
  dms: NonNullable<GatewayConfigInput['dms']> = {},
  gateway: GatewayConfigInput = {},
): Promise<DmsDemo> {
  const kubeconfigDir = await mkdtemp(join(tmpdir(), 'nw-dms-conformance-'));
  const demo = await startDemo({
    port: 0,
    timeline: false,
    kubeconfigDir,
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      publicUrl: PUBLIC_URL,
      ...gateway,
      dms: { helmPath: helmPath(), readinessTimeoutMs: 60_000, ...dms },
    },
  });
  const close = async (): Promise<void> => {
    await demo.close();
    await rm(kubeconfigDir, { recursive: true, force: true });
  };
  return { demo, origin: demo.gateway.url, kubeconfigDir, close, [Symbol.asyncDispose]: close };
}

/** The demo with a 5 s readiness timeout and the probe chart on-boarded: for tests of failing operations. */
export async function startProbeDemo(
  gateway: GatewayConfigInput = {},
): Promise<{ env: DmsDemo; client: DmsClient; vnfdId: string }> {
  const env = await startDmsDemo({ readinessTimeoutMs: 5_000 }, gateway);
  const client = new DmsClient(env.origin);
  const { vnfdId } = await client.onboard(await probeChart(), 'application/gzip');
  return { env, client, vnfdId };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, the text when not JSON, undefined when empty. */
  readonly body: unknown;
}

export class DmsClient {
  constructor(
    private readonly origin: string,
    private readonly defaults: Record<string, string> = { Version: VERSION },
  ) {}

  /** A gateway path, or an absolute URL the gateway issued on PUBLIC_URL. */
  url(pathOrUrl: string): string {
    if (pathOrUrl.startsWith(PUBLIC_URL)) return `${this.origin}${pathOrUrl.slice(PUBLIC_URL.length)}`;
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.origin}${pathOrUrl}`;
  }

  async send(
    method: string,
    pathOrUrl: string,
    options: { body?: unknown; headers?: Record<string, string | undefined>; raw?: BodyInit } = {},
  ): Promise<Answer> {
    const headers = new Headers();
    for (const [name, value] of Object.entries({
      ...this.defaults,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    }))
      if (value !== undefined) headers.set(name, value);
    const response = await fetch(this.url(pathOrUrl), {
      method,
      headers,
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body === undefined
          ? {}
          : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: unknown = text === '' ? undefined : text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text !== '') body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body };
  }

  get(path: string, headers: Record<string, string | undefined> = {}): Promise<Answer> {
    return this.send('GET', path, { headers });
  }

  post(path: string, body?: unknown, headers: Record<string, string | undefined> = {}): Promise<Answer> {
    return this.send('POST', path, { body, headers });
  }

  /** Every item of a list, following `Link: rel="next"` (the lists are paged). */
  async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const page = await this.get(next);
      expect(page.status).toBe(200);
      items.push(...(page.body as T[]));
      next = /<([^>]+)>;\s*rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    return items;
  }

  /** Creates, uploads and checks a package; answers its VnfPkgInfo. */
  async onboard(content: Buffer, contentType = 'application/zip'): Promise<{ id: string; vnfdId: string }> {
    const created = await this.send('POST', `${PKGM}/vnf_packages`, { body: {} });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const upload = await this.send('PUT', `${PKGM}/vnf_packages/${id}/package_content`, {
      headers: { 'content-type': contentType },
      raw: new Uint8Array(content),
    });
    expect(upload.status).toBe(202);
    const info = (await this.get(`${PKGM}/vnf_packages/${id}`)).body as {
      id: string;
      vnfdId: string;
      onboardingState: string;
    };
    expect(info.onboardingState).toBe('ONBOARDED');
    return info;
  }

  async createInstance(vnfdId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await this.post(`${LCM}/vnf_instances`, { vnfdId, ...extra });
    expect(created.status).toBe(201);
    return (created.body as { id: string }).id;
  }

  /** Starts an instantiation on edge-1 and answers the occurrence URL (Location). */
  async instantiate(instanceId: string, request: Record<string, unknown>): Promise<string> {
    const started = await this.post(`${LCM}/vnf_instances/${instanceId}/instantiate`, {
      vimConnectionInfo: { edge: { vimId: EDGE_1, vimType: 'kubernetes' } },
      ...request,
    });
    expect(started.status).toBe(202);
    return started.headers.get('location')!;
  }

  async occurrence(url: string): Promise<Record<string, unknown> & { operationState: string }> {
    const answer = await this.get(url);
    expect(answer.status).toBe(200);
    return answer.body as Record<string, unknown> & { operationState: string };
  }

  /** Waits until the occurrence reaches `state` (bounded; no timing is asserted). */
  async until(url: string, state: string, timeout = 90_000): Promise<Record<string, unknown>> {
    // vi.waitFor, not expect.poll: it also works in hooks (beforeAll instantiates).
    return vi.waitFor(
      async () => {
        const occurrence = await this.occurrence(url);
        if (occurrence.operationState !== state)
          throw new Error(`occurrence ${url} is ${occurrence.operationState}, waiting for ${state}`);
        return occurrence;
      },
      { timeout, interval: 200 },
    );
  }

  async instance(id: string): Promise<Record<string, unknown> & { instantiationState: string }> {
    const answer = await this.get(`${LCM}/vnf_instances/${id}`);
    expect(answer.status).toBe(200);
    return answer.body as Record<string, unknown> & { instantiationState: string };
  }
}

/** A ProblemDetails answer with `status`, as SOL003/SOL013 prescribe. */
export function expectProblem(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status });
  conforms('ProblemDetails', answer.body);
}

export function sampleCsar(): Promise<Buffer> {
  return buildSamplePackage('netweave-sample-cnf');
}

/**
 * A bare chart (`conformance-probe`): one Deployment whose pods the simulator keeps unready when
 * `ready` is "false" (annotation sim.netweave.io/ready) and leaves Pending while `nodeSelector` names a
 * label no node carries — so a test can make an instantiation time out, then heal it by labelling a node.
 * `crashLoop` ("true", or a duration such as "2s") makes its pods crash-loop (annotation
 * sim.netweave.io/crash-loop): from the start, or after running ready for that long. Another `version` is
 * another package (another vnfdId) of the same chart, for change_vnfpkg.
 */
export function probeChart(version = '0.1.0'): Promise<Buffer> {
  const chart = `apiVersion: v2\nname: conformance-probe\nversion: ${version}\nappVersion: "1.0"\n`;
  const values = 'ready: "true"\ncrashLoop: "false"\nreplicas: 1\nnodeSelector: {}\n';
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: probe-{{ .Release.Name }}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector:',
    '    matchLabels: { app: probe-{{ .Release.Name }} }',
    '  template:',
    '    metadata:',
    '      labels: { app: probe-{{ .Release.Name }} }',
    '      annotations:',
    '        sim.netweave.io/ready: {{ .Values.ready | quote }}',
    '        sim.netweave.io/crash-loop: {{ .Values.crashLoop | quote }}',
    '    spec:',
    '      {{- with .Values.nodeSelector }}',
    '      nodeSelector: {{- toYaml . | nindent 8 }}',
    '      {{- end }}',
    '      containers:',
    '        - name: probe',
    '          image: registry.k8s.io/pause:3.9',
    '          resources: { requests: { cpu: 10m, memory: 8Mi } }',
    '',
  ].join('\n');
  return tarGz(
    new Map([
      ['conformance-probe/Chart.yaml', Buffer.from(chart)],
      ['conformance-probe/values.yaml', Buffer.from(values)],
      ['conformance-probe/templates/deployment.yaml', Buffer.from(deployment)],
    ]),
  );
}

// ---- SOL003 V3.7.1 body schemas (../shared/specs/etsi-nfv), skipped when absent ----

const SOL003 = resolve(REFERENCE_SPECS_DIR, 'etsi-nfv/openapi/nfv-sol002-sol003/SOL003');
const LCM_DEF = resolve(SOL003, 'VNFLifecycleManagement/definitions/SOL003VNFLifecycleManagement_def.yaml');
const COMMON_DEF = resolve(SOL003, 'General_Definitions/SOL003_def.yaml');
export const sol003Available = existsSync(LCM_DEF) && existsSync(COMMON_DEF);

function patchEmptyItems(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if ('items' in record && record['items'] === null) record['items'] = {};
  for (const value of Object.values(record)) patchEmptyItems(value);
}

let validator: ((definition: string, file: string, body: unknown) => string[]) | undefined;

/**
 * Two upstream slips are patched in memory, as rest-facade/dms/etsi-schemas.test.ts explains: an empty
 * `items` (VipCpInfo.metadata) and VnfLcmOpOcc's oneOf (read as "not both" of changedInfo and
 * modificationsTriggeredByVnfPkgChange).
 */
function sol003Validator(): (definition: string, file: string, body: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  ajvFormats.default(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'MAC', 'URI']) ajv.addFormat(format, true);
  for (const file of [LCM_DEF, COMMON_DEF]) {
    const document = parseYaml(readFileSync(file, 'utf8')) as {
      definitions: Record<string, Record<string, unknown>>;
    };
    patchEmptyItems(document);
    const opOcc = document.definitions['VnfLcmOpOcc'];
    if (opOcc !== undefined) {
      delete opOcc['oneOf'];
      opOcc['not'] = { required: ['changedInfo', 'modificationsTriggeredByVnfPkgChange'] };
    }
    ajv.addSchema(document, pathToFileURL(file).href);
  }
  return (definition, file, body) => {
    const validate = ajv.compile({ $ref: `${pathToFileURL(file).href}#/definitions/${definition}` });
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
  };
}

/** The body conforms to the SOL003 V3.7.1 definition (a no-op without ../shared). */
export function conforms(
  definition: 'VnfInstance' | 'VnfLcmOpOcc' | 'ProblemDetails' | 'ApiVersionInformation',
  body: unknown,
): void {
  if (!sol003Available || definition === 'ApiVersionInformation') return;
  validator ??= sol003Validator();
  const file = definition === 'ProblemDetails' ? COMMON_DEF : LCM_DEF;
  expect(validator(definition, file, body)).toEqual([]);
}
