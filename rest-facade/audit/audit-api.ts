/**
 * `GET /netweave/v1/audit` (docs/security.md "Audit log"): the audit records, oldest first, for admins only
 * (403 for every other role, as on every /netweave/v1 path). Paging by cursor: `after` is the `id` of the last
 * record read; a `Link: <…>; rel="next"` header names the next page while one may follow.
 */
import express, { type Request, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission } from '../../common/authorization.ts';
import { ProblemError, problemErrorHandler } from '../problem.ts';
import { bindAuth } from '../request-context.ts';
import type { AuditLog } from './audit-log.ts';

export const AUDIT_PATH = '/netweave/v1/audit';

const auditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
    after: z
      .string()
      .regex(/^[0-9]+-[0-9]+$/, 'the id of an audit record')
      .optional(),
    principal: z.string().min(1).optional(),
    outcome: z.enum(['succeeded', 'denied', 'failed', 'aborted']).optional(),
  })
  .strict();

export function createAuditApi(options: {
  readonly audit: AuditLog;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger: Logger;
}): Router {
  const router = express.Router({ caseSensitive: true });
  router.get(AUDIT_PATH, async (req, res) => {
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    requirePermission(auth, 'admin', 'reading the audit log');
    const query = auditQuery.safeParse(req.query);
    if (!query.success) {
      const problems = query.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
      throw new ProblemError(400, `invalid audit query: ${problems.join('; ')}`);
    }
    const page = await options.audit.list(query.data);
    if (page.next !== undefined) {
      const next = new URLSearchParams({ ...stringsOf(query.data), after: page.next });
      res.set('Link', `<${AUDIT_PATH}?${next.toString()}>; rel="next"`);
    }
    res.json(page.entries);
  });
  router.all(AUDIT_PATH, (_req, res) => {
    res.setHeader('Allow', 'GET');
    throw new ProblemError(405, 'the audit log is read-only');
  });
  router.use(problemErrorHandler(options.logger));
  return router;
}

function stringsOf(query: z.infer<typeof auditQuery>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) strings[key] = String(value);
  return strings;
}
