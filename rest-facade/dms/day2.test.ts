/**
 * The day-2 routes of vnflcm v2 over real HTTP on 127.0.0.1: scale, scale_to_level, heal,
 * change_vnfpkg, change_flavour, change_ext_conn (202 + Location, 400/403/409/415/422) and cancel of an
 * occurrence (STARTING → ROLLED_BACK, PROCESSING → isCancelPending, 409 otherwise). No job runs here
 * (subgraphs/cluster/deployments/day2.test.ts runs helm); states a job would reach are written through
 * the ledger.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuthContext, type Role } from '../../common/auth.ts';
import { LifecycleLedger, type VnfInstanceRecord } from '../../dms/lifecycle/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { createDmsRouter, deploymentManagerIdOf } from './index.ts';

const VNFD = 'vnfd-day2';
const DM1 = deploymentManagerIdOf('edge-1');
const V = { Version: '2.14.0' };

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

describe('O2 DMS vnflcm v2 day-2 REST', () => {
  let server: Server;
  let base: string;
  let store: StateStore;
  let ledger: LifecycleLedger;

  beforeAll(async () => {
    store = createMemoryStore();
    ledger = new LifecycleLedger(store);
    const packages = new TestPackages();
    for (const [id, vnfdId, state] of [
      ['pkg', VNFD, 'ENABLED'],
      ['pkg-2', 'vnfd-day2-v2', 'ENABLED'],
      ['pkg-off', 'vnfd-day2-off', 'DISABLED'],
    ] as const) {
      packages.add({
        id,
        tenant: undefined,
        onboardingState: 'ONBOARDED',
        operationalState: state,
        usageState: 'NOT_IN_USE',
        descriptor: chartDescriptor(vnfdId, ['vdu1']),
      });
    }
    const authenticate = (req: express.Request): Promise<AuthContext> => {
      const roles = String(req.headers['x-roles'] ?? ROLES.join(',')).split(',') as Role[];
      return Promise.resolve({
        principal: 'test',
        roles,
        tenant: { name: '*' },
        method: 'bearer',
        requestId: 'req-1',
      });
    };
    const app = express();
    app.set('query parser', 'simple');
    app.use(createDmsRouter({ store, packages, authenticate, clusters: () => ['edge-1'] }));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.dispose();
  });

  async function call(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: unknown; type?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...V, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.type ?? 'application/json';
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  const root = `/o2dms/${DM1}/vnflcm/v2`;

  /** An instance as an instantiation would leave it (written through the ledger: no runner here). */
  async function instantiated(): Promise<string> {
    const created = await call('POST', `${root}/vnf_instances`, { body: { vnfdId: VNFD } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    await ledger.update(ledger.instances, id, (i): VnfInstanceRecord => ({
      ...i,
      instantiationState: 'INSTANTIATED',
      namespace: 'nf',
      instantiatedVnfInfo: {
        flavourId: 'default',
        vnfState: 'STARTED',
        scaleStatus: [{ aspectId: 'workers', scaleLevel: 1 }],
        vnfcResourceInfo: [
          { id: 'vdu1-pod-1', vduId: 'vdu1', computeResource: { resourceId: 'vdu1-pod-1' } },
        ],
      },
    }));
    return id;
  }

  async function occurrenceOf(answer: Answer): Promise<Record<string, unknown>> {
    expect(answer.status).toBe(202);
    const location = answer.headers.get('location')!;
    expect(location).toMatch(/\/vnf_lcm_op_occs\/[0-9a-f-]{36}$/);
    const read = await call('GET', new URL(location).pathname);
    expect(read.status).toBe(200);
    return read.body as Record<string, unknown>;
  }

  it('starts each day-2 task as an occurrence (202 + Location) and cancels one still STARTING', async () => {
    const id = await instantiated();
    const tasks: [string, unknown, string][] = [
      ['scale', { type: 'SCALE_OUT', aspectId: 'workers', numberOfSteps: 2 }, 'SCALE'],
      ['scale_to_level', { instantiationLevelId: 'small' }, 'SCALE_TO_LEVEL'],
      ['heal', undefined, 'HEAL'],
      ['change_vnfpkg', { vnfdId: 'vnfd-day2-v2' }, 'CHANGE_VNFPKG'],
      [
        'change_ext_conn',
        { extVirtualLinks: [{ id: 'n3', resourceId: 'nad-n3', extCps: [{ cpdId: 'ext-cp' }] }] },
        'CHANGE_EXT_CONN',
      ],
    ];
    for (const [task, body, operation] of tasks) {
      const occurrence = await occurrenceOf(
        await call('POST', `${root}/vnf_instances/${id}/${task}`, body === undefined ? {} : { body }),
      );
      expect(occurrence).toMatchObject({ operation, operationState: 'STARTING', isCancelPending: false });
      const links = occurrence['_links'] as Record<string, { href: string }>;
      expect(links['cancel']?.href).toMatch(/\/cancel$/);
      // One occurrence at a time per instance.
      expect((await call('POST', `${root}/vnf_instances/${id}/heal`, { body: {} })).status).toBe(409);
      const cancel = await call('POST', `${root}/vnf_lcm_op_occs/${String(occurrence['id'])}/cancel`, {
        body: { cancelMode: 'GRACEFUL' },
      });
      expect(cancel.status).toBe(202);
      const after = await call('GET', `${root}/vnf_lcm_op_occs/${String(occurrence['id'])}`);
      expect(after.body).toMatchObject({ operationState: 'ROLLED_BACK', cancelMode: 'GRACEFUL' });
      // Final now: cancelling again is 409.
      const again = await call('POST', `${root}/vnf_lcm_op_occs/${String(occurrence['id'])}/cancel`, {
        body: { cancelMode: 'FORCEFUL' },
      });
      expect(again.status).toBe(409);
    }
  });

  it('refuses malformed, out-of-bounds and wrong-state day-2 requests with ProblemDetails', async () => {
    const id = await instantiated();
    const post = (task: string, body?: unknown, headers: Record<string, string> = {}) =>
      call('POST', `${root}/vnf_instances/${id}/${task}`, {
        ...(body === undefined ? {} : { body }),
        headers,
      });
    const expectProblem = async (answer: Promise<Answer>, status: number): Promise<void> => {
      const a = await answer;
      expect(a.status).toBe(status);
      expect(a.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(a.body).toMatchObject({ status });
    };
    await expectProblem(post('scale', { aspectId: 'workers' }), 400); // no type
    await expectProblem(post('scale', { type: 'SCALE_UP', aspectId: 'workers' }), 400);
    await expectProblem(post('scale', { type: 'SCALE_OUT', aspectId: 'workers', numberOfSteps: 0 }), 400);
    await expectProblem(post('scale', { type: 'SCALE_OUT', aspectId: 'nope' }), 400);
    // Level 1 + 3 > maxScaleLevel 3; level 1 − 2 < 0.
    await expectProblem(post('scale', { type: 'SCALE_OUT', aspectId: 'workers', numberOfSteps: 3 }), 422);
    await expectProblem(post('scale', { type: 'SCALE_IN', aspectId: 'workers', numberOfSteps: 2 }), 422);
    await expectProblem(post('scale_to_level', {}), 400);
    await expectProblem(post('scale_to_level', { instantiationLevelId: 'huge' }), 400);
    await expectProblem(post('scale_to_level', { scaleInfo: [{ aspectId: 'workers', scaleLevel: 9 }] }), 422);
    await expectProblem(post('heal', { vnfcInstanceId: ['not-a-vnfc'] }), 422);
    await expectProblem(post('heal', { vnfcInstanceId: 'vdu1-pod-1' }), 400);
    await expectProblem(post('change_vnfpkg', { vnfdId: 'vnfd-day2-off' }), 422);
    await expectProblem(post('change_vnfpkg', { vnfdId: 'vnfd-unknown' }), 422);
    await expectProblem(post('change_vnfpkg', {}), 400);
    // The test VNFD has one flavour: no alternative to change to.
    await expectProblem(post('change_flavour', { newFlavourId: 'large' }), 422);
    await expectProblem(post('change_ext_conn', { extVirtualLinks: [] }), 400);
    await expectProblem(
      post('change_ext_conn', {
        extVirtualLinks: [{ id: 'x', resourceId: 'y', extCps: [{ cpdId: 'other' }] }],
      }),
      400,
    );
    await expectProblem(post('scale', '{"type":', {}), 400);
    expect(
      (await call('POST', `${root}/vnf_instances/${id}/scale`, { body: 'x', type: 'text/plain' })).status,
    ).toBe(415);
    await expectProblem(
      post('scale', { type: 'SCALE_OUT', aspectId: 'workers' }, { 'x-roles': 'reader' }),
      403,
    );
    const get = await call('GET', `${root}/vnf_instances/${id}/scale`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await expectProblem(post('scale', { type: 'SCALE_OUT', aspectId: 'workers' }, { Version: '' }), 400);

    const fresh = await call('POST', `${root}/vnf_instances`, { body: { vnfdId: VNFD } });
    const freshId = (fresh.body as { id: string }).id;
    await expectProblem(
      call('POST', `${root}/vnf_instances/${freshId}/scale`, {
        body: { type: 'SCALE_OUT', aspectId: 'workers' },
      }),
      409,
    );
    await expectProblem(call('POST', `${root}/vnf_instances/${freshId}/heal`, { body: {} }), 409);
    await expectProblem(
      call('POST', `${root}/vnf_instances/7e57a11e-0000-4000-8000-00000000abcd/scale`, {
        body: { type: 'SCALE_OUT', aspectId: 'workers' },
      }),
      404,
    );
  });

  it('marks a PROCESSING occurrence cancel-pending; 409 for a final one, 400 for a bad CancelMode', async () => {
    const id = await instantiated();
    const occurrence = await occurrenceOf(
      await call('POST', `${root}/vnf_instances/${id}/scale`, {
        body: { type: 'SCALE_IN', aspectId: 'workers' },
      }),
    );
    const occId = String(occurrence['id']);
    await ledger.beginProcessing(occId, 1);
    const path = `${root}/vnf_lcm_op_occs/${occId}/cancel`;
    expect((await call('POST', path, { body: { cancelMode: 'SOON' } })).status).toBe(400);
    expect((await call('POST', path, { body: {} })).status).toBe(400);
    expect((await call('POST', path, { body: { cancelMode: 'GRACEFUL' } })).status).toBe(202);
    expect((await call('GET', `${root}/vnf_lcm_op_occs/${occId}`)).body).toMatchObject({
      operationState: 'PROCESSING',
      isCancelPending: true,
      cancelMode: 'GRACEFUL',
    });
    // Still pending: GRACEFUL again is 409, FORCEFUL escalates.
    expect((await call('POST', path, { body: { cancelMode: 'GRACEFUL' } })).status).toBe(409);
    expect((await call('POST', path, { body: { cancelMode: 'FORCEFUL' } })).status).toBe(202);
    await ledger.complete(occId, 1, {});
    expect((await call('POST', path, { body: { cancelMode: 'FORCEFUL' } })).status).toBe(409);
    expect(
      (await call('POST', `${root}/vnf_lcm_op_occs/7e57a11e-0000-4000-8000-00000000abcd/cancel`)).status,
    ).toBe(404);
  });
});
