/**
 * The subscriptions API on a real loopback server for tests, with a test authenticator: roles and tenant come
 * from `x-test-roles` / `x-test-tenant` headers (all roles, tenant `*` when absent).
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request } from 'express';
import { ROLES } from '../common/auth.ts';
import type { AuthContext, Role } from '../common/auth.ts';
import { parseGatewayConfig } from '../common/config.ts';
import type { GatewayConfigInput, SubscriptionsConfig } from '../common/config.ts';
import type { StateStore } from '../state/store.ts';
import type { Resolve } from '../notifier/callbacks/callback-policy.ts';
import { createSubscriptionsApi } from '../rest-facade/subscriptions/api.ts';

export function testAuthenticate(req: Request): Promise<AuthContext> {
  const roles = req.get('x-test-roles');
  return Promise.resolve({
    principal: 'test-user',
    roles:
      roles === undefined
        ? ROLES
        : (roles.split(',').filter((r) => (ROLES as readonly string[]).includes(r)) as Role[]),
    tenant: { name: req.get('x-test-tenant') ?? '*' },
    method: 'development',
    requestId: 'test-request',
  });
}

export function subscriptionsConfig(input: GatewayConfigInput['subscriptions'] = {}): SubscriptionsConfig {
  return parseGatewayConfig({ subscriptions: input }).subscriptions;
}

/** The demo's relaxed policy: loopback http callbacks, no probe. */
export const LOOPBACK_POLICY: GatewayConfigInput['subscriptions'] = {
  probe: { enabled: false },
  callbacks: { requireHttps: false, allowLoopback: true },
};

export interface TestApi extends AsyncDisposable {
  readonly url: string;
  close(): Promise<void>;
}

export async function startSubscriptionsApi(
  store: StateStore,
  config: SubscriptionsConfig,
  options: { readonly resolve?: Resolve; readonly publicUrl?: string } = {},
): Promise<TestApi> {
  const app = express();
  app.set('query parser', 'simple');
  app.use(
    createSubscriptionsApi({
      store,
      authenticate: testAuthenticate,
      config,
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
      ...(options.publicUrl === undefined ? {} : { publicUrl: () => options.publicUrl }),
    }),
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, close, [Symbol.asyncDispose]: close };
}
