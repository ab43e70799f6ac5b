/**
 * The admin API over deployment policies (docs/dms.md "Policy"), compiled onto the hub's GraphQL fields
 * (dmsPolicies, dmsPolicy, setDmsPolicy, deleteDmsPolicy) through the in-process executor, so REST and GraphQL
 * are one behaviour:
 *
 *   GET    /netweave/v1/policies               200 [DmsPolicy]
 *   GET    /netweave/v1/policies/{policyId}    200 DmsPolicy | 404
 *   PUT    /netweave/v1/policies/{policyId}    201 (created) | 200 (replaced) | 400 naming the bad field
 *   DELETE /netweave/v1/policies/{policyId}    204 | 404
 *
 * One document per policy (not one document for all): edits of different policies do not race, a configured
 * policy can be replaced or deleted by id, and a refusal names `<policyId>.<rule>`. Admin role only.
 */
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import { parse } from 'graphql';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../common/auth.ts';
import { requirePermission } from '../common/authorization.ts';
import type { GraphExecutor } from '../router/executor.ts';
import { readGraphResult } from './graph-outcome.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler } from './problem.ts';
import { bindAuth, requestIdOf } from './request-context.ts';

export const POLICIES_PATH = '/netweave/v1/policies';
const MAX_BODY = '256kb';
const POLICY_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const FIELDS = 'policyId origin updatedAt document';
const DOCUMENTS = {
  list: parse(`query DmsPolicies { dmsPolicies { ${FIELDS} } }`),
  get: parse(`query DmsPolicy($policyId: ID!) { dmsPolicy(policyId: $policyId) { ${FIELDS} } }`),
  set: parse(
    `mutation SetDmsPolicy($policyId: ID!, $policy: JSON!) { setDmsPolicy(policyId: $policyId, policy: $policy) { created policy { ${FIELDS} } } }`,
  ),
  delete: parse(`mutation DeleteDmsPolicy($policyId: ID!) { deleteDmsPolicy(policyId: $policyId) }`),
};

interface GraphPolicy {
  readonly policyId: string;
  readonly origin: string;
  readonly updatedAt: string;
  readonly document: Record<string, unknown>;
}

/** The REST form: the document, with where it came from and when beside it. */
function restPolicy(policy: GraphPolicy): Record<string, unknown> {
  return {
    ...policy.document,
    policyId: policy.policyId,
    origin: policy.origin,
    updatedAt: policy.updatedAt,
  };
}

export function createPoliciesApi(options: {
  readonly executor: GraphExecutor;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger?: Logger;
}): Router {
  const logger = options.logger ?? pino({ level: 'silent' });
  const router = express.Router({ caseSensitive: true });

  async function admin(req: Request, res: Response, action: string): Promise<AuthContext> {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    requirePermission(auth, 'admin', action);
    return auth;
  }

  function policyIdOf(req: Request): string {
    const id = String(req.params['policyId']);
    if (!POLICY_ID.test(id))
      throw new ProblemError(400, 'policyId must be a DNS label (a-z, 0-9, -; at most 63 characters)');
    return id;
  }

  const run = async <T>(
    auth: AuthContext,
    document: (typeof DOCUMENTS)[keyof typeof DOCUMENTS],
    variables: Record<string, unknown> = {},
  ): Promise<T> => readGraphResult(await options.executor.execute<T>({ document, auth, variables })).data;

  const list: RequestHandler = async (req, res) => {
    const auth = await admin(req, res, 'reading deployment policies');
    const data = await run<{ dmsPolicies: GraphPolicy[] }>(auth, DOCUMENTS.list);
    res.json(data.dmsPolicies.map(restPolicy));
  };
  const read: RequestHandler = async (req, res) => {
    const auth = await admin(req, res, 'reading deployment policies');
    const data = await run<{ dmsPolicy: GraphPolicy }>(auth, DOCUMENTS.get, { policyId: policyIdOf(req) });
    res.json(restPolicy(data.dmsPolicy));
  };
  const write: RequestHandler = async (req, res) => {
    const auth = await admin(req, res, 'changing deployment policies');
    const policyId = policyIdOf(req);
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new ProblemError(400, 'the body must be a JSON policy document');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ProblemError(400, 'the body must be a JSON object (a policy document)');
    // Server-set fields a client may send back from a GET are not part of the document.
    const { origin: _origin, updatedAt: _updatedAt, ...document } = body as Record<string, unknown>;
    const data = await run<{ setDmsPolicy: { created: boolean; policy: GraphPolicy } }>(auth, DOCUMENTS.set, {
      policyId,
      policy: document,
    });
    logger.info({ requestId: auth.requestId, principal: auth.principal, policyId }, 'deployment policy set');
    const { created, policy } = data.setDmsPolicy;
    if (created) res.status(201).location(`${POLICIES_PATH}/${policyId}`);
    res.json(restPolicy(policy));
  };
  const remove: RequestHandler = async (req, res) => {
    const auth = await admin(req, res, 'changing deployment policies');
    const policyId = policyIdOf(req);
    await run(auth, DOCUMENTS.delete, { policyId });
    logger.info(
      { requestId: auth.requestId, principal: auth.principal, policyId },
      'deployment policy deleted',
    );
    res.status(204).end();
  };
  const notAllowed =
    (allow: string): RequestHandler =>
    (_req, res) => {
      res.set('Allow', allow);
      throw new ProblemError(405, `Only ${allow} is allowed here.`);
    };

  router.get(POLICIES_PATH, list);
  router.all(POLICIES_PATH, notAllowed('GET'));
  router.get(`${POLICIES_PATH}/:policyId`, read);
  router.put(`${POLICIES_PATH}/:policyId`, express.raw({ type: () => true, limit: MAX_BODY }), write);
  router.delete(`${POLICIES_PATH}/:policyId`, remove);
  router.all(`${POLICIES_PATH}/:policyId`, notAllowed('GET, PUT, DELETE'));
  router.use(problemErrorHandler(logger));
  return router;
}
