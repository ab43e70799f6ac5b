/**
 * Watch streams: newline-delimited JSON `{type, object}` events over a chunked response.
 *
 * A watch starts from the requested resourceVersion (replaying the window), or from the current state
 * (synthetic ADDED events) when none is given; a resume point older than the window gets an ERROR event
 * carrying a 410 Expired Status and the stream ends, so informers relist. Selectors apply per event and
 * objects entering or leaving a selection surface as ADDED / DELETED, as on the real server.
 */
import type { ServerResponse } from 'node:http';
import { SimApiError, badRequest } from '../errors.ts';
import type { ResourceType } from '../resources/resource-type.ts';
import { groupKindKey } from '../resources/resource-type.ts';
import type { StoreEvent } from '../store/event-log.ts';
import type { FieldSelector } from '../store/field-selector.ts';
import type { LabelSelector } from '../store/label-selector.ts';
import type { MemoryObjectStore } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import type { TableOptions } from './table.ts';
import { toTable } from './table.ts';

export interface WatchRequest {
  readonly store: MemoryObjectStore;
  readonly type: ResourceType;
  /** The apiVersion the client asked for (objects are re-labelled with it). */
  readonly apiVersion: string;
  readonly namespace: string | undefined;
  readonly labelSelector: LabelSelector;
  readonly fieldSelector: FieldSelector;
  readonly resourceVersion: string | undefined;
  readonly allowBookmarks: boolean;
  readonly sendInitialEvents: boolean | undefined;
  readonly timeoutMs: number;
  readonly bookmarkIntervalMs: number;
  readonly table: TableOptions | undefined;
  readonly now: () => number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Slow consumers are cut off rather than buffered without bound (the real server does the same). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export function serveWatch(request: WatchRequest, res: ServerResponse): void {
  const { store, type, apiVersion, namespace, labelSelector, fieldSelector } = request;
  const groupKind = groupKindKey(type.group, type.kind);
  const matches = (object: KubeObject): boolean =>
    (namespace === undefined || object.metadata.namespace === namespace) &&
    labelSelector.matches(object.metadata.labels) &&
    fieldSelector.matches(object);

  // Decide the start point before any byte is written, so a bad resourceVersion is still a plain 400.
  const rv = request.resourceVersion;
  const fromNow = rv === undefined || rv === '' || rv === '0';
  let replay: StoreEvent[] | 'expired' = [];
  if (!fromNow) {
    if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
    replay = store.eventsSince(Number(rv));
  }
  const initial =
    (request.sendInitialEvents ?? fromNow)
      ? store.listObjects(type, {
          ...(namespace === undefined ? {} : { namespace }),
          labelSelector,
          fieldSelector,
        }).items
      : [];

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let columnsSent = false;
  const send = (eventType: EventType, object: unknown): void => {
    if (res.destroyed || res.writableEnded) return;
    let payload = object;
    if (
      request.table !== undefined &&
      (eventType === 'ADDED' || eventType === 'MODIFIED' || eventType === 'DELETED')
    ) {
      const served = object as KubeObject;
      payload = toTable(
        type,
        [served],
        { ...request.table, noHeaders: columnsSent },
        { resourceVersion: served.metadata.resourceVersion },
        request.now(),
      );
      columnsSent = true;
    }
    res.write(`${JSON.stringify({ type: eventType, object: payload })}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  const relabel = (object: KubeObject): KubeObject =>
    object.apiVersion === apiVersion ? object : { ...object, apiVersion };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: Record<string, unknown> = { resourceVersion: store.resourceVersion };
    if (annotations !== undefined) metadata['annotations'] = annotations;
    send('BOOKMARK', { kind: type.kind, apiVersion, metadata });
  };

  if (replay === 'expired') {
    const status = new SimApiError(
      410,
      'Expired',
      `too old resource version: ${rv} (${store.resourceVersion})`,
    ).toStatus();
    send('ERROR', status);
    res.end();
    return;
  }

  const deliver = (event: StoreEvent): void => {
    if (event.groupKind !== groupKind) return;
    const now = matches(event.object);
    const before = event.previous !== undefined && event.type !== 'DELETED' && matches(event.previous);
    if (event.type === 'ADDED') {
      if (now) send('ADDED', relabel(event.object));
    } else if (event.type === 'DELETED') {
      if (now) send('DELETED', relabel(event.object));
    } else if (now) {
      send(before ? 'MODIFIED' : 'ADDED', relabel(event.object));
    } else if (before) {
      // Left the selection: clients see it deleted, stamped with this change's resourceVersion.
      const gone = event.previous!;
      send(
        'DELETED',
        relabel({ ...gone, metadata: { ...gone.metadata, resourceVersion: String(event.revision) } }),
      );
    }
  };

  for (const object of initial) send('ADDED', relabel(object));
  if (request.sendInitialEvents === true && request.allowBookmarks)
    bookmark({ 'k8s.io/initial-events-end': 'true' });
  for (const event of replay) deliver(event);
  const unsubscribe = store.subscribe(deliver);

  const bookmarks = request.allowBookmarks
    ? setInterval(() => bookmark(), request.bookmarkIntervalMs)
    : undefined;
  const timeout = setTimeout(() => {
    if (request.allowBookmarks) bookmark();
    res.end();
  }, request.timeoutMs);
  res.on('close', () => {
    unsubscribe();
    clearInterval(bookmarks);
    clearTimeout(timeout);
  });
}
