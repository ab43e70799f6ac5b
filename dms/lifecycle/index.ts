/** The DMS lifecycle: VNF instances, LCM operation occurrences, their state machine and job queue. */
export * from './records.ts';
export * from './requests.ts';
export * from './placement.ts';
export * from './jobs.ts';
export * from './ledger.ts';
export * from './package-contract.ts';
export { LifecycleService, stripAccessInfo } from './service.ts';
export type { LifecycleServiceOptions, VersionedInstance } from './service.ts';
export * from './day2-requests.ts';
export * from './day2-plan.ts';
export { Day2Tasks } from './day2-service.ts';
export * from './policy.ts';
export * from './policy-store.ts';
export * from './tasks.ts';
