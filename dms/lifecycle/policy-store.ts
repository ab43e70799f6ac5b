/**
 * Where deployment policies (policy.ts) and the usage they count live: the state store, so an edit made on
 * one gateway replica is what every cluster's job runner reads at its next evaluation.
 *
 * Configuration (`dms.policies`) is the seed: at start-up each configured policy is written unless the store
 * already has that policyId — an entry edited or deleted over the API wins over the configuration. A delete
 * leaves a tombstone, so the next start does not bring a configured policy back.
 *
 * Usage: `dms-policy-usage/<instanceId>` is what an instance was last admitted with (rendered replicas and
 * requests, tenant, cluster, namespace); the quotas of later requests count it while the instance is
 * instantiated or has an operation in progress.
 */
import type { StateStore } from '../../state/store.ts';
import { DmsError } from '../errors.ts';
import { POLICY_ID, type DmsPolicy, type InstanceUsage } from './policy.ts';
import { INSTANCES_COLLECTION, type VnfInstanceRecord } from './records.ts';

export const POLICIES_COLLECTION = 'dms-policies';
export const POLICY_USAGE_COLLECTION = 'dms-policy-usage';
/** Held while a runner decides and records an admission, so two concurrent requests do not both fit. */
export const POLICY_LEASE = 'dms-policy-admission';

export interface StoredPolicy {
  /** Absent: a tombstone (deleted over the API). */
  readonly policy?: DmsPolicy;
  /** Where the current content came from. */
  readonly origin: 'config' | 'api';
  readonly updatedAt: string;
}

/** A policy as the API shows it. */
export interface PolicyView {
  readonly policy: DmsPolicy;
  readonly origin: 'config' | 'api';
  readonly updatedAt: string;
}

export class PolicyStore {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get policies() {
    return this.store.collection<StoredPolicy>(POLICIES_COLLECTION);
  }

  private get usage() {
    return this.store.collection<InstanceUsage>(POLICY_USAGE_COLLECTION);
  }

  /** Writes each configured policy the store has never held (an edit or delete over the API wins). */
  async seed(configured: readonly DmsPolicy[]): Promise<void> {
    for (const policy of configured) {
      await this.policies.create(policy.policyId, {
        policy,
        origin: 'config',
        updatedAt: this.now().toISOString(),
      });
    }
  }

  async list(): Promise<PolicyView[]> {
    return (await this.policies.list()).flatMap(({ doc }) =>
      doc.policy === undefined ? [] : [{ policy: doc.policy, origin: doc.origin, updatedAt: doc.updatedAt }],
    );
  }

  /** The policies in force (what the runner evaluates). */
  async active(): Promise<DmsPolicy[]> {
    return (await this.list()).map((view) => view.policy);
  }

  /** No policy has an id that is not a DNS label; such ids never reach the store's key space. */
  private async stored(policyId: string): Promise<StoredPolicy | undefined> {
    return POLICY_ID.test(policyId) ? this.policies.get(policyId) : undefined;
  }

  async get(policyId: string): Promise<PolicyView> {
    const doc = await this.stored(policyId);
    if (doc?.policy === undefined) throw new DmsError('NOT_FOUND', `policy ${policyId} was not found`);
    return { policy: doc.policy, origin: doc.origin, updatedAt: doc.updatedAt };
  }

  /** Creates or replaces; `created` tells 201 from 200. */
  async put(policy: DmsPolicy): Promise<{ view: PolicyView; created: boolean }> {
    const before = await this.policies.get(policy.policyId);
    const stored: StoredPolicy = { policy, origin: 'api', updatedAt: this.now().toISOString() };
    await this.policies.put(policy.policyId, stored);
    return {
      view: { policy, origin: 'api', updatedAt: stored.updatedAt },
      created: before?.policy === undefined,
    };
  }

  async delete(policyId: string): Promise<void> {
    const doc = await this.stored(policyId);
    if (doc?.policy === undefined) throw new DmsError('NOT_FOUND', `policy ${policyId} was not found`);
    await this.policies.put(policyId, { origin: 'api', updatedAt: this.now().toISOString() });
  }

  // -------------------------------------------------------------------------------------------------------
  // Usage

  /**
   * Usage of every instance that counts now: instantiated, or with an operation in progress (its admitted
   * footprint is reserved). An instance admitted before policies existed counts its VNFCs as replicas.
   */
  async usageOfLiveInstances(): Promise<InstanceUsage[]> {
    const recorded = new Map((await this.usage.list()).map(({ id, doc }) => [id, doc]));
    const instances = await this.store.collection<VnfInstanceRecord>(INSTANCES_COLLECTION).list();
    const live: InstanceUsage[] = [];
    for (const { doc: instance } of instances) {
      const active = instance.activeOccurrenceId !== undefined && instance.activeOccurrenceId !== 'deleting';
      if (instance.instantiationState !== 'INSTANTIATED' && !active) continue;
      const usage = recorded.get(instance.id);
      if (usage !== undefined) live.push(usage);
      else if (instance.instantiationState === 'INSTANTIATED' && instance.clusterId !== undefined)
        live.push({
          instanceId: instance.id,
          tenant: instance.tenant,
          clusterId: instance.clusterId,
          namespace: instance.namespace ?? 'default',
          replicas: instance.instantiatedVnfInfo?.vnfcResourceInfo?.length ?? 0,
          cpuMillis: 0,
          memoryBytes: 0,
        });
    }
    return live;
  }

  async recordUsage(usage: InstanceUsage): Promise<void> {
    await this.usage.put(usage.instanceId, usage);
  }

  /** A deleted instance's usage record goes with it. */
  async forgetUsage(instanceId: string): Promise<void> {
    await this.usage.delete(instanceId);
  }
}
