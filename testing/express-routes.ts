/**
 * The routes of an express 5 application, enumerated from its router stack (for the authorization matrix and the
 * fuzz suite, tests/security/): every `METHOD /full/path/:param` a route handles, with the prefixes of the routers
 * it is mounted under. Method-less `all` handlers (405 answers) are left out.
 */
import type { Express } from 'express';

export interface ExpressRoute {
  readonly method: string;
  /** The full path template, e.g. `/o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId`. */
  readonly path: string;
}

interface LayerLike {
  readonly rawPath?: string | readonly string[] | RegExp;
  readonly route?: { readonly path: string | readonly string[]; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly LayerLike[] };
}

function paths(value: string | readonly string[] | RegExp | undefined): string[] {
  if (value === undefined || value instanceof RegExp) return ['/'];
  return typeof value === 'string' ? [value] : [...value];
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix === '' ? '/' : prefix;
  return `${prefix.replace(/\/$/, '')}${path}`;
}

export function expressRoutes(app: Express): ExpressRoute[] {
  const routes = new Map<string, ExpressRoute>();
  const walk = (stack: readonly LayerLike[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of paths(layer.route.path)) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (!on || method === '_all') continue;
            const route = { method: method.toUpperCase(), path: join(prefix, path) };
            routes.set(`${route.method} ${route.path}`, route);
          }
        }
      } else if (layer.handle?.stack) {
        for (const path of paths(layer.rawPath)) walk(layer.handle.stack, join(prefix, path));
      }
    }
  };
  walk((app as unknown as { router: { stack: readonly LayerLike[] } }).router.stack, '');
  return [...routes.values()];
}
