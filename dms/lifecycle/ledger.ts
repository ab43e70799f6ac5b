/**
 * Reads and compare-and-set writes of instance and occurrence records, and the occurrence transitions
 * the job runner drives (STARTING/PROCESSING → COMPLETED | FAILED_TEMP, ROLLING_BACK → ROLLED_BACK).
 *
 * Every write is `replaceIfVersion` in a short retry loop: two replicas (or a runner and the REST side)
 * never both win a transition, and a lost race re-reads and re-decides instead of overwriting.
 */
import type { DocumentCollection, StateStore, Versioned } from '../../state/store.ts';
import { DmsError } from '../errors.ts';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { identifierEventOf, LcmEventLog, occurrenceEventOf } from '../notifications/lcm-events.ts';
import { clearInstanceAlarm, followOccurrence } from '../notifications/nf-alarms.ts';
import {
  INSTANCES_COLLECTION,
  OCCURRENCES_COLLECTION,
  isFinal,
  type AffectedVnfc,
  type HelmExecution,
  type InstantiatedVnfInfo,
  type LcmOperationState,
  type OccurrenceRecord,
  type ProblemDetails,
  type VnfInstanceRecord,
} from './records.ts';

const MAX_CAS_ATTEMPTS = 20;

/** Decides the next value of a record from the current one; undefined = leave it (no write). */
export type Update<T> = (current: T) => T | undefined;

export interface OccurrenceOutcome {
  readonly execution?: HelmExecution;
  readonly instantiatedVnfInfo?: InstantiatedVnfInfo;
  readonly affectedVnfcs?: readonly AffectedVnfc[];
  /** Identity fields a completed operation changes on the instance (CHANGE_VNFPKG: the package and VNFD). */
  readonly instanceChanges?: Partial<
    Pick<
      VnfInstanceRecord,
      'vnfPkgId' | 'vnfdId' | 'vnfProvider' | 'vnfProductName' | 'vnfSoftwareVersion' | 'vnfdVersion'
    >
  >;
}

export class LifecycleLedger {
  readonly instances: DocumentCollection<VnfInstanceRecord>;
  readonly occurrences: DocumentCollection<OccurrenceRecord>;
  /** The DMS event log (dms/notifications/lcm-events.ts): every transition below appends to it. */
  readonly events: LcmEventLog;
  /** NF deployment alarms (dms/notifications/nf-alarms.ts) in the O2 alarm ledger, following the occurrences. */
  readonly alarms: AlarmLedger;

  constructor(
    store: StateStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.instances = store.collection<VnfInstanceRecord>(INSTANCES_COLLECTION);
    this.occurrences = store.collection<OccurrenceRecord>(OCCURRENCES_COLLECTION);
    this.events = new LcmEventLog(store);
    this.alarms = new AlarmLedger(store);
  }

  /** Appends the event of the state `occurrence` is in now (after the record was written). */
  async occurrenceChanged(occurrence: OccurrenceRecord): Promise<void> {
    const instance = await this.instances.get(occurrence.vnfInstanceId);
    await this.events.append(occurrenceEventOf(occurrence, instance));
    await followOccurrence(this.alarms, occurrence, instance);
  }

  async instanceCreated(instance: VnfInstanceRecord): Promise<void> {
    await this.events.append(
      identifierEventOf('VnfIdentifierCreationNotification', instance, this.timestamp()),
    );
  }

  async instanceDeleted(instance: VnfInstanceRecord): Promise<void> {
    await clearInstanceAlarm(this.alarms, instance);
    await this.events.append(
      identifierEventOf('VnfIdentifierDeletionNotification', instance, this.timestamp()),
    );
  }

  timestamp(): string {
    return this.now().toISOString();
  }

  /** Applies `update` with optimistic concurrency; resolves to the written (or unchanged) record. */
  async update<T>(
    collection: DocumentCollection<T>,
    id: string,
    update: Update<T>,
  ): Promise<Versioned<T> | undefined> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await collection.getVersioned(id);
      if (current === undefined) return undefined;
      const next = update(current.value);
      if (next === undefined) return current;
      if (await collection.replaceIfVersion(id, next, current.version)) {
        return (await collection.getVersioned(id)) ?? { value: next, version: current.version + 1 };
      }
    }
    throw new DmsError('CONFLICT', `record ${id} is being changed concurrently; try again`);
  }

  /**
   * Moves an occurrence to `state` (stateEnteredTime follows) when `allowed` accepts the current one, then
   * appends the state's event to the DMS event log.
   */
  async transition(
    occurrenceId: string,
    allowed: (occurrence: OccurrenceRecord) => boolean,
    change: (occurrence: OccurrenceRecord, at: string) => OccurrenceRecord,
  ): Promise<OccurrenceRecord | undefined> {
    const done = await this.transitionQuietly(occurrenceId, allowed, change);
    if (done?.stateChanged === true) await this.occurrenceChanged(done.occurrence);
    return done?.occurrence;
  }

  /** The transition without its event: for callers that change the instance first (complete, rolledBack). */
  private async transitionQuietly(
    occurrenceId: string,
    allowed: (occurrence: OccurrenceRecord) => boolean,
    change: (occurrence: OccurrenceRecord, at: string) => OccurrenceRecord,
  ): Promise<{ occurrence: OccurrenceRecord; stateChanged: boolean } | undefined> {
    let changed = false;
    let stateChanged = false;
    const result = await this.update(this.occurrences, occurrenceId, (current) => {
      changed = false;
      if (!allowed(current)) return undefined;
      changed = true;
      const next = change(current, this.timestamp());
      stateChanged =
        next.operationState !== current.operationState || next.stateEnteredTime !== current.stateEnteredTime;
      return next;
    });
    return changed && result !== undefined ? { occurrence: result.value, stateChanged } : undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Transitions of the job runner. Each one applies only to the attempt the job was queued for, so a
  // stale job (an older attempt, or an occurrence finished meanwhile) changes nothing.

  /** STARTING → PROCESSING (or PROCESSING/ROLLING_BACK as they are): the runner takes the occurrence. */
  async beginProcessing(occurrenceId: string, attempt: number): Promise<OccurrenceRecord | undefined> {
    return this.transition(
      occurrenceId,
      (o) =>
        o.attempt === attempt &&
        (o.operationState === 'STARTING' ||
          o.operationState === 'PROCESSING' ||
          o.operationState === 'ROLLING_BACK'),
      (o, at) =>
        o.operationState === 'STARTING' ? { ...o, operationState: 'PROCESSING', stateEnteredTime: at } : o,
    );
  }

  /** Records what the runner learnt about the release without changing the state. */
  async recordExecution(occurrenceId: string, attempt: number, execution: HelmExecution): Promise<void> {
    await this.transition(
      occurrenceId,
      (o) => o.attempt === attempt && !isFinal(o.operationState),
      (o) => ({ ...o, execution }),
    );
  }

  async complete(
    occurrenceId: string,
    attempt: number,
    outcome: OccurrenceOutcome,
  ): Promise<OccurrenceRecord | undefined> {
    const moved = await this.transitionQuietly(
      occurrenceId,
      (o) => o.attempt === attempt && o.operationState === 'PROCESSING',
      (o, at) => {
        const { error: _error, ...rest } = o;
        return {
          ...rest,
          operationState: 'COMPLETED',
          stateEnteredTime: at,
          ...(outcome.execution === undefined ? {} : { execution: outcome.execution }),
          ...(outcome.affectedVnfcs === undefined
            ? {}
            : { resourceChanges: { affectedVnfcs: outcome.affectedVnfcs } }),
        };
      },
    );
    if (moved === undefined) return undefined;
    const done = moved.occurrence;
    await this.update(this.instances, done.vnfInstanceId, (instance): VnfInstanceRecord | undefined => {
      if (instance.activeOccurrenceId !== done.id) return undefined;
      const { activeOccurrenceId: _active, instantiatedVnfInfo: _info, ...rest } = instance;
      switch (done.operation) {
        case 'INSTANTIATE':
          return {
            ...rest,
            instantiationState: 'INSTANTIATED',
            ...(outcome.instantiatedVnfInfo === undefined
              ? {}
              : { instantiatedVnfInfo: outcome.instantiatedVnfInfo }),
            ...(outcome.execution === undefined ? {} : { namespace: outcome.execution.namespace }),
          };
        case 'TERMINATE':
          return { ...rest, instantiationState: 'NOT_INSTANTIATED' };
        default:
          return {
            ...rest,
            ...outcome.instanceChanges,
            ...(instance.instantiatedVnfInfo === undefined
              ? {}
              : { instantiatedVnfInfo: outcome.instantiatedVnfInfo ?? instance.instantiatedVnfInfo }),
          };
      }
    });
    // After the instance: a client reading it on the COMPLETED notification sees the result.
    if (moved.stateChanged) await this.occurrenceChanged(done);
    return done;
  }

  /** → FAILED_TEMP with the error; the instance stays blocked until retry, rollback or fail. */
  async failTemporarily(
    occurrenceId: string,
    attempt: number,
    error: ProblemDetails,
    execution?: HelmExecution,
  ): Promise<OccurrenceRecord | undefined> {
    return this.transition(
      occurrenceId,
      (o) => o.attempt === attempt && !isFinal(o.operationState) && o.operationState !== 'FAILED_TEMP',
      (o, at) => ({
        ...o,
        operationState: 'FAILED_TEMP',
        stateEnteredTime: at,
        error,
        ...(execution === undefined ? {} : { execution }),
      }),
    );
  }

  /** ROLLING_BACK → ROLLED_BACK; an instantiation rolled back leaves the instance NOT_INSTANTIATED. */
  async rolledBack(
    occurrenceId: string,
    attempt: number | undefined,
    states: readonly LcmOperationState[] = ['ROLLING_BACK'],
    error?: ProblemDetails,
  ): Promise<OccurrenceRecord | undefined> {
    const moved = await this.transitionQuietly(
      occurrenceId,
      (o) => (attempt === undefined || o.attempt === attempt) && states.includes(o.operationState),
      (o, at) => ({
        ...o,
        operationState: 'ROLLED_BACK',
        stateEnteredTime: at,
        ...(error === undefined ? {} : { error }),
      }),
    );
    if (moved === undefined) return undefined;
    const done = moved.occurrence;
    await this.release(done, (instance): VnfInstanceRecord =>
      done.operation === 'INSTANTIATE'
        ? (() => {
            const { instantiatedVnfInfo: _info, ...rest } = instance;
            return { ...rest, instantiationState: 'NOT_INSTANTIATED' as const };
          })()
        : instance,
    );
    if (moved.stateChanged) await this.occurrenceChanged(done);
    return done;
  }

  /** Clears the instance's active occurrence (when it is still `occurrence`), applying `change` too. */
  async release(
    occurrence: OccurrenceRecord,
    change: (instance: VnfInstanceRecord) => VnfInstanceRecord = (instance) => instance,
  ): Promise<void> {
    await this.update(this.instances, occurrence.vnfInstanceId, (instance) => {
      if (instance.activeOccurrenceId !== occurrence.id) return undefined;
      const { activeOccurrenceId: _active, ...rest } = change(instance);
      return rest;
    });
  }
}
