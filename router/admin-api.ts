/**
 * netweave's own admin API: cluster shard registration at runtime (docs/architecture.md "The shape" "cluster membership is
 * runtime data"). A cluster registered here appears in the graph and the O2 API at once, on every replica.
 *
 *   GET    /netweave/v1/clusters              list registered shards
 *   PUT    /netweave/v1/clusters/{clusterId}  register or move a shard   { url, wsUrl }
 *   DELETE /netweave/v1/clusters/{clusterId}  deregister (its objects' DELETE events are announced)
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuthContext } from '../common/auth.ts';
import { can, deniedDetail } from '../common/authorization.ts';
import { PROBLEM_CONTENT_TYPE, problemDetails } from '../common/problem-details.ts';
import { seesCluster } from '../common/tenancy.ts';
import type { ShardRegistry } from './shard-registry.ts';

export const ADMIN_PREFIX = '/netweave/v1';

function sendProblem(res: Response, status: number, detail: string): void {
  // res.json keeps a Content-Type that is already set, so the problem media type survives.
  res.status(status).type(PROBLEM_CONTENT_TYPE).json(problemDetails(status, detail));
}

const CLUSTER_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const shardBody = z
  .object({
    url: z
      .string()
      .url()
      .refine((u) => /^https?:/.test(u), 'must be an http(s) URL'),
    wsUrl: z
      .string()
      .url()
      .refine((u) => /^wss?:/.test(u), 'must be a ws(s) URL'),
  })
  .strict();

export function createAdminApi(options: {
  readonly registry: ShardRegistry;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  /** After a deregistration: announce the DELETE of the cluster's objects (router/cluster-retirement.ts). */
  readonly onDeregistered?: (clusterId: string) => Promise<unknown>;
}): express.Router {
  const router = express.Router();
  const { registry } = options;

  /** The admin's auth context, or undefined once a 403 was sent. */
  const requireAdmin = async (req: Request, res: Response): Promise<AuthContext | undefined> => {
    const auth = await options.authenticate(req);
    if (!can(auth, 'admin')) {
      sendProblem(res, 403, deniedDetail('admin', 'managing clusters'));
      return undefined;
    }
    return auth;
  };

  /**
   * Tenant scoping (docs/security.md "Tenants"): an admin of a tenant manages only its clusters; any other id
   * answers 404, as an unregistered one does, so other tenants' clusters never leak.
   */
  const outOfScope = (auth: AuthContext, res: Response, clusterId: string): boolean => {
    if (seesCluster(auth.tenant, clusterId)) return false;
    sendProblem(res, 404, 'no cluster is registered under that id');
    return true;
  };

  router.get(`${ADMIN_PREFIX}/clusters`, async (req, res) => {
    const auth = await requireAdmin(req, res);
    if (!auth) return;
    res.json(registry.list().filter((record) => seesCluster(auth.tenant, record.clusterId)));
  });

  router.put(`${ADMIN_PREFIX}/clusters/:clusterId`, express.json({ limit: '16kb' }), async (req, res) => {
    const auth = await requireAdmin(req, res);
    if (!auth) return;
    const clusterId = String(req.params['clusterId']);
    if (outOfScope(auth, res, clusterId)) return;
    if (!CLUSTER_ID.test(clusterId)) {
      sendProblem(res, 400, 'clusterId must be a DNS label (lower-case letters, digits and "-")');
      return;
    }
    const body = shardBody.safeParse(req.body);
    if (!body.success) {
      sendProblem(
        res,
        400,
        `invalid cluster registration: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
      );
      return;
    }
    const existed = registry.list().some((r) => r.clusterId === clusterId);
    const record = { clusterId, url: body.data.url, wsUrl: body.data.wsUrl };
    await registry.register(record);
    res.status(existed ? 200 : 201).json(record);
  });

  router.delete(`${ADMIN_PREFIX}/clusters/:clusterId`, async (req, res) => {
    const auth = await requireAdmin(req, res);
    if (!auth) return;
    const clusterId = String(req.params['clusterId']);
    if (outOfScope(auth, res, clusterId)) return;
    if (registry.isConfigured(clusterId)) {
      sendProblem(
        res,
        409,
        'this cluster is registered by the configuration (clusters:); remove it there and restart the gateway',
      );
      return;
    }
    const removed = await registry.deregister(clusterId);
    if (!removed) {
      sendProblem(res, 404, 'no cluster is registered under that id');
      return;
    }
    await options.onDeregistered?.(clusterId);
    res.status(204).end();
  });

  router.all([`${ADMIN_PREFIX}/clusters`, `${ADMIN_PREFIX}/clusters/:clusterId`], (req, res) => {
    const allow = req.params['clusterId'] === undefined ? 'GET' : 'PUT, DELETE';
    res.setHeader('Allow', allow);
    sendProblem(res, 405, `method ${req.method} is not allowed here`);
  });
  return router;
}
