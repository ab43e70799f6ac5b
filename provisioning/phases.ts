/**
 * The provisioning phase of a request, derived from its composite resource (docs/provisioning.md "Phases"):
 *
 * - DELETING    the composite is marked for deletion;
 * - FULFILLED   Ready=True for the current spec generation AND the kubeconfig Secret exists AND the new
 *               cluster's shard is registered AND its first inventory sync is done;
 * - FAILED      Synced=False for longer than the grace period (the message is the condition's), not observed
 *               by Crossplane within the grace period, or not Ready within the template's timeout;
 * - PROGRESSING Synced, not (yet) fulfilled; the message says what is awaited (the Ready condition's message);
 * - PENDING     created, not yet observed (no Synced condition) and still within the grace period.
 *
 * Pure: the same inputs (and clock) give the same phase on every replica.
 */
import type { KubeObject, ProvisioningPhase } from './model.ts';

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

export interface JoinProgress {
  /** The new cluster's shard is in the registry. */
  readonly registered: boolean;
  /** Its subgraph finished its first inventory sync. */
  readonly synced: boolean;
}

export interface PhaseInputs {
  readonly composite: KubeObject;
  readonly secretExists: boolean;
  readonly join: JoinProgress;
  readonly timeoutSeconds: number;
  readonly syncGraceSeconds: number;
  readonly now: number;
}

export interface DerivedPhase {
  readonly phase: ProvisioningPhase;
  readonly message: string;
  /** When the composite last changed state (its newest condition transition, else its creation). */
  readonly since: string;
}

function conditionsOf(composite: KubeObject): Condition[] {
  const status = composite.status;
  if (typeof status !== 'object' || status === null) return [];
  const conditions = (status as { conditions?: unknown }).conditions;
  return Array.isArray(conditions)
    ? conditions.filter(
        (c): c is Condition =>
          typeof c === 'object' && c !== null && typeof (c as Condition).type === 'string',
      )
    : [];
}

function time(value: string | Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function seconds(value: number): string {
  return value % 60 === 0 ? `${value / 60}m` : `${value}s`;
}

export function derivePhase(inputs: PhaseInputs): DerivedPhase {
  const { composite, now } = inputs;
  const created = time(composite.metadata?.creationTimestamp) ?? now;
  const conditions = conditionsOf(composite);
  const synced = conditions.find((c) => c.type === 'Synced');
  const ready = conditions.find((c) => c.type === 'Ready');
  const newest = Math.max(created, ...conditions.map((c) => time(c.lastTransitionTime) ?? 0));
  const since = new Date(newest).toISOString();
  const generation = composite.metadata?.generation ?? 1;
  const name = composite.metadata?.name ?? '';
  const result = (phase: ProvisioningPhase, message: string): DerivedPhase => ({ phase, message, since });

  if (composite.metadata?.deletionTimestamp !== undefined)
    return result('DELETING', `cluster ${name} is being deleted`);

  const graceMs = inputs.syncGraceSeconds * 1000;
  if (synced === undefined) {
    if (now - created > graceMs)
      return result(
        'FAILED',
        `the composite was not observed by Crossplane within ${seconds(inputs.syncGraceSeconds)} (is Crossplane running and the Composition valid?)`,
      );
    return result('PENDING', 'the composite is created and awaits Crossplane');
  }
  if (synced.status !== 'True') {
    const failingSince = Math.max(created, time(synced.lastTransitionTime) ?? created);
    const why = synced.message ?? synced.reason ?? 'the composite is not synced';
    if (now - failingSince > graceMs) return result('FAILED', why);
    return result('PROGRESSING', why);
  }
  const current = ready !== undefined && (ready.observedGeneration ?? generation) >= generation;
  if (ready?.status === 'True' && current) {
    if (!inputs.secretExists)
      return result('PROGRESSING', `the cluster is Ready; awaiting its kubeconfig Secret ${name}-kubeconfig`);
    if (!inputs.join.registered || !inputs.join.synced)
      return result(
        'PROGRESSING',
        `the cluster is Ready; joining netweave (subgraph start, first inventory sync)`,
      );
    return result('FULFILLED', `cluster ${name} is provisioned and serves the O2 API`);
  }
  // Not Ready: the timeout runs from creation, or from the start of a re-patch (Ready's last transition).
  const waitingSince =
    ready?.status === 'True' ? now : Math.max(created, time(ready?.lastTransitionTime) ?? created);
  if (now - waitingSince > inputs.timeoutSeconds * 1000)
    return result(
      'FAILED',
      `the cluster did not become Ready within the template's timeout of ${seconds(inputs.timeoutSeconds)}${ready?.message === undefined ? '' : `: ${ready.message}`}`,
    );
  return result('PROGRESSING', ready?.message ?? ready?.reason ?? 'the cluster is being created');
}
