/**
 * Validation of a POST body for an O2 inventory subscription, before anything is stored or contacted. Every
 * refusal is a 400 ProblemDetails whose detail names the rule that failed, never the offending input.
 */
import { isUuid } from '../../o2/ids.ts';
import { compileEventFilter } from '../../o2/event-filter.ts';
import { Sol013Error } from '../../o2/sol013/index.ts';
import { ProblemError } from '../problem.ts';

export interface SubscriptionRequest {
  readonly callback: string;
  readonly consumerSubscriptionId?: string;
  /** Absent when the client sent none or an empty one (both mean "report every event"). */
  readonly filter?: string;
}

const KNOWN_MEMBERS: ReadonlySet<string> = new Set(['callback', 'consumerSubscriptionId', 'filter']);

/** `application/json` and structured `+json` types, any parameters (charset) allowed. */
function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function bad(detail: string): ProblemError {
  return new ProblemError(400, detail);
}

/** An optional string member: absent and null both mean "not given". */
function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw bad(`${name} must be a string`);
  return value;
}

export function parseSubscriptionBody(
  contentType: string | undefined,
  raw: Buffer,
  options: {
    readonly rejectUnknownFields: boolean;
    /**
     * Validates the filter text, throwing a Sol013Error for a bad one; the inventory event filter by default
     * (another kind of subscription, e.g. alarm subscriptions, passes its own).
     */
    readonly compileFilter?: (filter: string) => unknown;
    /** The O2 object name used in messages: `Subscription` (default) or e.g. `AlarmSubscriptionInfo`. */
    readonly objectName?: string;
    /** Members the O-Cloud assigns, refused when a client sends them (default: `subscriptionId`). */
    readonly assignedIdMembers?: readonly string[];
  },
): SubscriptionRequest {
  const objectName = options.objectName ?? 'Subscription';
  const assignedIdMembers = options.assignedIdMembers ?? ['subscriptionId'];
  // XML, forms and text are refused with 400, not 415: the O2 specs list 400 for every invalid body, and the
  // O-RAN SC compliance suite expects it for an XML one.
  if (!isJsonMediaType(contentType)) throw bad('the body must be JSON (Content-Type: application/json)');
  if (raw.length === 0)
    throw bad(`a${/^[AEIOU]/.test(objectName) ? 'n' : ''} ${objectName} body is required`);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw bad('the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('the body must be a JSON object');
  const members = body as Record<string, unknown>;
  if (assignedIdMembers.some((name) => Object.hasOwn(members, name)))
    throw bad(`${assignedIdMembers[0]!} is assigned by the O-Cloud and must not be sent`);
  if (options.rejectUnknownFields && Object.keys(members).some((name) => !KNOWN_MEMBERS.has(name))) {
    throw bad(
      `the body has members a${/^[AEIOU]/.test(objectName) ? 'n' : ''} ${objectName} does not define (allowed: callback, consumerSubscriptionId, filter)`,
    );
  }

  const callback = optionalString(members, 'callback');
  if (callback === undefined || callback.trim() === '') throw bad('callback is required');

  const consumerSubscriptionId = optionalString(members, 'consumerSubscriptionId');
  // The O2 Subscription and InventoryChangeNotification type it as a UUID; anything else could not be notified.
  if (consumerSubscriptionId !== undefined && !isUuid(consumerSubscriptionId))
    throw bad('consumerSubscriptionId must be a UUID');

  const filterText = optionalString(members, 'filter');
  const filter = filterText === undefined || filterText.trim() === '' ? undefined : filterText;
  if (filter !== undefined) {
    try {
      (options.compileFilter ?? compileEventFilter)(filter);
    } catch (error) {
      // Sol013Error messages are built from server-side facts only (positions, operators, known attributes).
      if (error instanceof Sol013Error) throw bad(error.message);
      throw error;
    }
  }
  return {
    callback,
    ...(consumerSubscriptionId === undefined ? {} : { consumerSubscriptionId }),
    ...(filter === undefined ? {} : { filter }),
  };
}
