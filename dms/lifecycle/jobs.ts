/**
 * The job queue contract between the DMS domain (producer) and the job runners of the cluster
 * subgraphs (consumers), docs/architecture.md "Data flows":
 *
 * - one event log per cluster, `dms-jobs.<clusterId>` (see dmsJobLogName), consumed by the group `runners` (each entry goes
 *   to one runner of that cluster; a crashed runner's entries are claimed by another after an idle time);
 * - an entry is `{ occurrenceId, attempt }`: the occurrence is the work item, the attempt says which
 *   retry/rollback queued it, so a stale entry is recognised and acked without effect;
 * - the runner holding lease `dms-occurrence:<occurrenceId>` is the only one driving the occurrence;
 * - a mark `dms-job-marks/<occurrenceId>` says "a job for this attempt is queued and not finished": the
 *   restart sweep leaves such occurrences to the queue and fails the others (nothing stays stuck).
 */
import type { StateStore } from '../../state/store.ts';

export const DMS_JOB_GROUP = 'runners';
export const DMS_JOB_MARKS_COLLECTION = 'dms-job-marks';

export interface DmsJob {
  readonly occurrenceId: string;
  readonly attempt: number;
}

export interface DmsJobMark {
  readonly attempt: number;
  readonly clusterId: string;
  /** ISO time the job was queued. */
  readonly queuedAt: string;
}

/**
 * The contract names this log `dms-jobs:<clusterId>`; the state store refuses ':' in event log names
 * (it separates parts of Redis keys), so the separator is '.' (cluster ids are DNS labels).
 */
export function dmsJobLogName(clusterId: string): string {
  return `dms-jobs.${clusterId}`;
}

export function occurrenceLeaseName(occurrenceId: string): string {
  return `dms-occurrence:${occurrenceId}`;
}

/** Entries come back from the store as parsed JSON: checked before use. */
export function isDmsJob(value: unknown): value is DmsJob {
  if (typeof value !== 'object' || value === null) return false;
  const job = value as Record<string, unknown>;
  return (
    typeof job['occurrenceId'] === 'string' &&
    typeof job['attempt'] === 'number' &&
    Number.isInteger(job['attempt']) &&
    job['attempt'] >= 1
  );
}

/** Producer and bookkeeping side of the queue. */
export class DmsJobQueue {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Marks, then appends: whenever an entry can exist, its mark exists too. */
  async enqueue(clusterId: string, job: DmsJob): Promise<void> {
    const marks = this.store.collection<DmsJobMark>(DMS_JOB_MARKS_COLLECTION);
    await marks.put(job.occurrenceId, {
      attempt: job.attempt,
      clusterId,
      queuedAt: this.now().toISOString(),
    });
    const log = this.store.eventLog<DmsJob>(dmsJobLogName(clusterId));
    await log.append({ occurrenceId: job.occurrenceId, attempt: job.attempt });
  }

  async mark(occurrenceId: string): Promise<DmsJobMark | undefined> {
    return this.store.collection<DmsJobMark>(DMS_JOB_MARKS_COLLECTION).get(occurrenceId);
  }

  /** Drops the mark once the job of `attempt` is done (a newer attempt's mark is kept). */
  async clearMark(occurrenceId: string, attempt: number): Promise<void> {
    const marks = this.store.collection<DmsJobMark>(DMS_JOB_MARKS_COLLECTION);
    const current = await marks.get(occurrenceId);
    // A retry is queued only after the occurrence left its running state, i.e. after this job's end.
    if (current !== undefined && current.attempt === attempt) await marks.delete(occurrenceId);
  }
}
