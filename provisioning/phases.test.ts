/** The provisioning phase of a request from its composite, Secret and join (phases.ts). */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from './model.ts';
import { derivePhase, type PhaseInputs } from './phases.ts';

const CREATED = '2026-01-01T00:00:00Z';
const T0 = Date.parse(CREATED);

function composite(
  conditions: unknown[],
  extra: { generation?: number; deleting?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'edge.netweave.io/v1alpha1',
    kind: 'EdgeCluster',
    metadata: {
      name: 'edge-3',
      creationTimestamp: CREATED,
      generation: extra.generation ?? 1,
      ...(extra.deleting === true ? { deletionTimestamp: '2026-01-01T00:05:00Z' } : {}),
    },
    status: { conditions },
  };
}

const synced = (status = 'True', extra: Record<string, unknown> = {}) => ({
  type: 'Synced',
  status,
  ...extra,
});
const ready = (status: string, extra: Record<string, unknown> = {}) => ({ type: 'Ready', status, ...extra });

function phase(object: KubeObject, overrides: Partial<PhaseInputs> = {}) {
  return derivePhase({
    composite: object,
    secretExists: true,
    join: { registered: true, synced: true },
    timeoutSeconds: 600,
    syncGraceSeconds: 60,
    now: T0 + 10_000,
    ...overrides,
  });
}

describe('derivePhase', () => {
  it('PENDING while not observed, FAILED once the grace period is over', () => {
    expect(phase(composite([])).phase).toBe('PENDING');
    const late = phase(composite([]), { now: T0 + 61_000 });
    expect(late.phase).toBe('FAILED');
    expect(late.message).toContain('not observed by Crossplane within 1m');
  });

  it('PROGRESSING while Synced and not Ready, with the Ready message', () => {
    const result = phase(
      composite([synced(), ready('False', { reason: 'Creating', message: 'Unready resources: cluster' })]),
    );
    expect(result).toMatchObject({ phase: 'PROGRESSING', message: 'Unready resources: cluster' });
  });

  it('FULFILLED only with Ready, the Secret, a registered shard and its first sync', () => {
    const object = composite([synced(), ready('True')]);
    expect(phase(object).phase).toBe('FULFILLED');
    expect(phase(object, { secretExists: false })).toMatchObject({
      phase: 'PROGRESSING',
      message: expect.stringContaining('edge-3-kubeconfig'),
    });
    expect(phase(object, { join: { registered: false, synced: false } }).phase).toBe('PROGRESSING');
    expect(phase(object, { join: { registered: true, synced: false } }).phase).toBe('PROGRESSING');
  });

  it('a Ready of an older generation (a re-patch in progress) is PROGRESSING', () => {
    const object = composite(
      [synced('True', { observedGeneration: 2 }), ready('True', { observedGeneration: 1 })],
      { generation: 2 },
    );
    expect(phase(object).phase).toBe('PROGRESSING');
  });

  it('FAILED when Synced=False past the grace period, with the condition message', () => {
    const failing = composite([
      synced('False', {
        reason: 'ReconcileError',
        message: 'cannot compose resources: no capacity',
        lastTransitionTime: CREATED,
      }),
    ]);
    expect(phase(failing).phase).toBe('PROGRESSING');
    expect(phase(failing, { now: T0 + 61_000 })).toMatchObject({
      phase: 'FAILED',
      message: 'cannot compose resources: no capacity',
    });
  });

  it("FAILED when not Ready within the template's timeout", () => {
    const slow = composite([synced(), ready('False', { reason: 'Creating', lastTransitionTime: CREATED })]);
    const result = phase(slow, { now: T0 + 601_000 });
    expect(result.phase).toBe('FAILED');
    expect(result.message).toContain("template's timeout of 10m");
  });

  it('DELETING once the composite is marked for deletion, whatever its conditions', () => {
    expect(phase(composite([synced(), ready('True')], { deleting: true })).phase).toBe('DELETING');
  });
});
