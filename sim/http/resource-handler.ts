/**
 * The resource endpoints: list/watch/create/deletecollection on collections; get/update/patch/delete on
 * objects; the `status` and `scale` subresources. Translates HTTP into store calls and store results into
 * the JSON the API server returns (lists, Tables, Status errors).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, notFound, resourceNotFound, unsupportedMediaType } from '../errors.ts';
import { APPLY_PATCH, patchFunction } from '../patch/dispatch.ts';
import type { ResourceType } from '../resources/resource-type.ts';
import { parseFieldSelector } from '../store/field-selector.ts';
import { parseLabelSelector } from '../store/label-selector.ts';
import type { DeleteOptions, ListQuery, MemoryObjectStore, WriteScope } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject, joinApiVersion } from '../types.ts';
import { mediaType, parseBody, readBody } from './body.ts';
import { decodeProtobufBody } from './protobuf.ts';
import type { ResourcePath } from './request-path.ts';
import { sendJson } from './respond.ts';
import { requestedReplicas, setPath, toScale } from './scale.ts';
import type { TableOptions } from './table.ts';
import { parseIncludeObject, toTable, wantsTable } from './table.ts';
import { serveWatch } from './watch.ts';

export interface HandlerContext {
  readonly store: MemoryObjectStore;
  readonly now: () => number;
  readonly bookmarkIntervalMs: number;
  /** Upper bound (and default) of a watch's lifetime. */
  readonly maxWatchTimeoutMs: number;
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

interface Call {
  readonly ctx: HandlerContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: ResourcePath;
  readonly query: URLSearchParams;
  readonly type: ResourceType;
  readonly apiVersion: string;
  readonly table: TableOptions | undefined;
  readonly dryRun: boolean;
}

function flag(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function relabel(object: KubeObject, apiVersion: string): KubeObject {
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

async function body(call: Call): Promise<{ value: unknown; contentType: string }> {
  const contentType = mediaType(call.req.headers['content-type']);
  const raw = await readBody(call.req);
  if (contentType === PROTOBUF)
    return { value: raw.length === 0 ? undefined : decodeProtobufBody(raw, contentType), contentType };
  if (contentType.includes('protobuf') || contentType.includes('cbor'))
    throw unsupportedMediaType(contentType);
  return { value: parseBody(raw, contentType), contentType };
}

/** A create/update body: an object of this resource's kind. */
function objectBody(call: Call, value: unknown): KubeObject {
  if (!isPlainObject(value)) throw badRequest('the request body must be a JSON object');
  const kind = value['kind'];
  if (kind !== undefined && kind !== call.type.kind) {
    throw badRequest(
      `the kind in the data (${String(kind)}) does not match the expected kind (${call.type.kind})`,
    );
  }
  const metadata = isPlainObject(value['metadata']) ? value['metadata'] : {};
  const namespace = metadata['namespace'];
  if (call.path.namespace !== undefined) {
    if (namespace !== undefined && namespace !== '' && namespace !== call.path.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata['namespace'] = call.path.namespace;
  }
  // Only the shape is fixed here; the store validates metadata (name or generateName, …) like the server.
  return { ...value, apiVersion: call.apiVersion, kind: call.type.kind, metadata } as unknown as KubeObject;
}

function respondObject(call: Call, code: number, object: KubeObject): void {
  const served = relabel(object, call.apiVersion);
  if (call.table === undefined) sendJson(call.res, code, served);
  else
    sendJson(
      call.res,
      code,
      toTable(
        call.type,
        [served],
        call.table,
        { resourceVersion: served.metadata.resourceVersion },
        call.ctx.now(),
      ),
    );
}

function listQuery(call: Call): ListQuery {
  const q = call.query;
  const query: { -readonly [K in keyof ListQuery]: ListQuery[K] } = {
    labelSelector: parseLabelSelector(q.get('labelSelector') ?? undefined),
    fieldSelector: parseFieldSelector(q.get('fieldSelector') ?? undefined),
  };
  if (call.path.namespace !== undefined) query.namespace = call.path.namespace;
  const limit = q.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid limit: ${limit}`);
    query.limit = n;
  }
  const token = q.get('continue');
  if (token !== null && token !== '') query.continueToken = token;
  return query;
}

function list(call: Call): void {
  const result = call.ctx.store.listObjects(call.type, listQuery(call));
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continueToken !== undefined) metadata['continue'] = result.continueToken;
  if (result.remainingItemCount !== undefined) metadata['remainingItemCount'] = result.remainingItemCount;
  const items = result.items.map((item) => relabel(item, call.apiVersion));
  if (call.table !== undefined) {
    sendJson(call.res, 200, toTable(call.type, items, call.table, metadata, call.ctx.now()));
    return;
  }
  sendJson(call.res, 200, { kind: call.type.listKind, apiVersion: call.apiVersion, metadata, items });
}

function watch(call: Call, extraFieldSelector?: string): void {
  const q = call.query;
  const timeout = q.get('timeoutSeconds');
  const seconds = timeout === null || timeout === '' ? NaN : Number(timeout);
  const timeoutMs =
    Number.isFinite(seconds) && seconds > 0
      ? Math.min(seconds * 1000, call.ctx.maxWatchTimeoutMs)
      : call.ctx.maxWatchTimeoutMs;
  const fields = [q.get('fieldSelector'), extraFieldSelector]
    .filter((f): f is string => f !== null && f !== undefined && f !== '')
    .join(',');
  const initial = q.get('sendInitialEvents');
  serveWatch(
    {
      store: call.ctx.store,
      type: call.type,
      apiVersion: call.apiVersion,
      namespace: call.path.namespace,
      labelSelector: parseLabelSelector(q.get('labelSelector') ?? undefined),
      fieldSelector: parseFieldSelector(fields),
      resourceVersion: q.get('resourceVersion') ?? undefined,
      allowBookmarks: flag(q.get('allowWatchBookmarks')),
      sendInitialEvents: initial === null ? undefined : flag(initial),
      timeoutMs,
      bookmarkIntervalMs: call.ctx.bookmarkIntervalMs,
      table: call.table,
      now: call.ctx.now,
    },
    call.res,
  );
}

async function create(call: Call): Promise<void> {
  if (call.type.namespaced && call.path.namespace === undefined) throw methodNotAllowed('POST');
  const { value } = await body(call);
  const created = call.ctx.store.createObject(call.type, objectBody(call, value), {
    fromApi: true,
    dryRun: call.dryRun,
  });
  respondObject(call, 201, created);
}

async function deleteOptions(call: Call): Promise<DeleteOptions> {
  const { value } = await body(call);
  const raw = isPlainObject(value) ? value : {};
  const q = call.query;
  const policy =
    raw['propagationPolicy'] ??
    q.get('propagationPolicy') ??
    (raw['orphanDependents'] === true || q.get('orphanDependents') === 'true' ? 'Orphan' : undefined);
  if (
    policy !== undefined &&
    policy !== null &&
    policy !== 'Background' &&
    policy !== 'Foreground' &&
    policy !== 'Orphan'
  ) {
    throw badRequest(`invalid propagationPolicy: ${String(policy)}`);
  }
  const options: { -readonly [K in keyof DeleteOptions]: DeleteOptions[K] } = {
    dryRun: call.dryRun || (Array.isArray(raw['dryRun']) && raw['dryRun'].includes('All')),
  };
  if (typeof policy === 'string') options.propagationPolicy = policy;
  const pre = raw['preconditions'];
  if (isPlainObject(pre)) {
    options.preconditions = {
      ...(typeof pre['uid'] === 'string' ? { uid: pre['uid'] } : {}),
      ...(typeof pre['resourceVersion'] === 'string' ? { resourceVersion: pre['resourceVersion'] } : {}),
    };
  }
  return options;
}

async function deleteCollection(call: Call): Promise<void> {
  const options = await deleteOptions(call);
  const { items } = call.ctx.store.listObjects(call.type, { ...listQuery(call), limit: 0 });
  const deleted = [...items].map((item) =>
    call.ctx.store.deleteObject(call.type, item.metadata.namespace, item.metadata.name, options),
  );
  sendJson(call.res, 200, {
    kind: call.type.listKind,
    apiVersion: call.apiVersion,
    metadata: { resourceVersion: call.ctx.store.resourceVersion },
    items: deleted.map((item) => relabel(item, call.apiVersion)),
  });
}

function current(call: Call, name: string): KubeObject {
  const found = call.ctx.store.getObject(call.type, call.path.namespace, name);
  if (found === undefined) throw notFound(call.type, name);
  return found;
}

async function replace(call: Call, name: string, scope: WriteScope): Promise<void> {
  const { value } = await body(call);
  const object = objectBody(call, value);
  if (object.metadata.name !== undefined && object.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  object.metadata.name = name;
  respondObject(call, 200, call.ctx.store.replaceObject(call.type, object, { scope, dryRun: call.dryRun }));
}

async function patch(call: Call, name: string, scope: WriteScope): Promise<void> {
  const { value, contentType } = await body(call);
  const store = call.ctx.store;
  const existing = store.getObject(call.type, call.path.namespace, name);
  if (contentType !== APPLY_PATCH) {
    respondObject(
      call,
      200,
      store.patchObject(call.type, call.path.namespace, name, patchFunction(contentType, value, call.type), {
        scope,
        dryRun: call.dryRun,
      }),
    );
    return;
  }
  const manager = call.query.get('fieldManager');
  if (manager === null || manager === '')
    throw badRequest('PATCH with application/apply-patch+yaml requires a fieldManager');
  // Kept as sent: creating from it below fills in (and freezes) its metadata.
  const configuration = structuredClone(value);
  let result: KubeObject;
  if (existing === undefined) {
    // Server-side apply creates what does not exist yet.
    const object = objectBody(call, value);
    object.metadata.name = name;
    result = store.createObject(call.type, object, { fromApi: true, dryRun: call.dryRun });
  } else {
    const previous = store.appliedConfiguration(existing.metadata.uid!, manager);
    result = store.patchObject(
      call.type,
      call.path.namespace,
      name,
      patchFunction(contentType, value, call.type, previous),
      { scope, dryRun: call.dryRun },
    );
  }
  if (!call.dryRun) store.recordAppliedConfiguration(result.metadata.uid!, manager, configuration);
  respondObject(call, existing === undefined ? 201 : 200, result);
}

async function remove(call: Call, name: string): Promise<void> {
  const deleted = call.ctx.store.deleteObject(
    call.type,
    call.path.namespace,
    name,
    await deleteOptions(call),
  );
  // 202 while finalizers hold the object, as the real server answers a deletion still in progress.
  respondObject(call, deleted.metadata.deletionTimestamp !== undefined && !call.dryRun ? 202 : 200, deleted);
}

async function scale(call: Call, name: string): Promise<void> {
  const spec = call.type.scale!;
  const store = call.ctx.store;
  const method = call.req.method;
  if (method === 'GET') {
    sendJson(call.res, 200, toScale(spec, current(call, name)));
    return;
  }
  if (method !== 'PUT' && method !== 'PATCH') throw methodNotAllowed(method ?? '');
  const { value, contentType } = await body(call);
  const before = toScale(spec, current(call, name));
  const wanted =
    method === 'PUT'
      ? value
      : patchFunction(contentType, value, { ...call.type, custom: false, kind: 'Scale' })(before);
  const replicas = requestedReplicas(call.type, name, wanted);
  const precondition =
    isPlainObject(wanted) && isPlainObject(wanted['metadata'])
      ? wanted['metadata']['resourceVersion']
      : undefined;
  const updated = store.patchObject(
    call.type,
    call.path.namespace,
    name,
    (object) => {
      const next = setPath(object, spec.specReplicasPath.split('.'), replicas) as KubeObject;
      if (typeof precondition === 'string')
        next.metadata = { ...next.metadata, resourceVersion: precondition };
      return next;
    },
    { scope: 'main', dryRun: call.dryRun },
  );
  sendJson(call.res, 200, toScale(spec, updated));
}

async function dispatch(call: Call): Promise<void> {
  const { name, subresource } = call.path;
  const method = call.req.method ?? 'GET';
  if (name === undefined) {
    if (method === 'GET')
      return flag(call.query.get('watch')) || call.path.legacyWatch ? watch(call) : list(call);
    if (method === 'POST') return create(call);
    if (method === 'DELETE') return deleteCollection(call);
    throw methodNotAllowed(method);
  }
  if (subresource === undefined) {
    if (method === 'GET') {
      if (flag(call.query.get('watch')) || call.path.legacyWatch) return watch(call, `metadata.name=${name}`);
      return respondObject(call, 200, current(call, name));
    }
    if (method === 'PUT') return replace(call, name, 'main');
    if (method === 'PATCH') return patch(call, name, 'main');
    if (method === 'DELETE') return remove(call, name);
    throw methodNotAllowed(method);
  }
  if (subresource === 'status' && call.type.statusSubresource) {
    if (method === 'GET') return respondObject(call, 200, current(call, name));
    if (method === 'PUT') return replace(call, name, 'status');
    if (method === 'PATCH') return patch(call, name, 'status');
    throw methodNotAllowed(method);
  }
  if (subresource === 'scale' && call.type.scale !== undefined) return scale(call, name);
  throw resourceNotFound();
}

export async function handleResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: ResourcePath,
  query: URLSearchParams,
): Promise<void> {
  const type = ctx.store.registry.byPath(path.group, path.version, path.plural);
  if (type === undefined || (path.namespace !== undefined && !type.namespaced)) throw resourceNotFound();
  const accept = req.headers.accept;
  const call: Call = {
    ctx,
    req,
    res,
    path,
    query,
    type,
    apiVersion: joinApiVersion(path.group, path.version),
    table: wantsTable(accept) ? { includeObject: parseIncludeObject(query.get('includeObject')) } : undefined,
    dryRun: query.getAll('dryRun').includes('All'),
  };
  await dispatch(call);
}
