/**
 * The hub's package mutations on a real PackageRepository over the in-memory store: the base64 upload is
 * bounded by the package size limit (PAYLOAD_TOO_LARGE, and the package goes to ERROR as with REST's 413),
 * refuses what is not base64, on-boards a bare chart, and a tenant cannot reach another tenant's package.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { developmentContext } from '../../common/auth.ts';
import { PackageRepository, PackageTasks, buildSamplePackage } from '../../dms/packages/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { hubRunner, testHubSchema } from '../../testing/hub-graph.ts';

const stores: StateStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose();
});

function setup(maxContentBytes: number) {
  const store = createMemoryStore();
  stores.push(store);
  const run = hubRunner(
    testHubSchema({ packages: new PackageTasks(new PackageRepository(store, { maxContentBytes })) }),
  );
  return (query: string, variables: Record<string, unknown> = {}, tenant = 'ran') =>
    run(query, variables, { ...developmentContext('t'), tenant: { name: tenant } });
}

const CREATE = 'mutation { createVnfPackage { id onboardingState } }';
const UPLOAD =
  'mutation($id: ID!, $c: String!) { uploadVnfPackageContent(vnfPkgId: $id, contentBase64: $c) { id onboardingState vnfdId onboardingFailureDetails } }';
const READ = 'query($id: ID!) { vnfPackage(vnfPkgId: $id) { onboardingState onboardingFailureDetails } }';

describe('hub package mutations', () => {
  it('on-boards base64 content within the limit; refuses bad base64 and other tenants', async () => {
    const run = setup(64 * 1024 * 1024);
    const id = ((await run(CREATE)).data!['createVnfPackage'] as { id: string }).id;
    expect((await run(UPLOAD, { id, c: 'not base64!' })).codes).toEqual(['BAD_USER_INPUT']);
    const content = (await buildSamplePackage('netweave-sample-cnf')).toString('base64');
    expect((await run(UPLOAD, { id, c: content }, 'core')).codes).toEqual(['NOT_FOUND']);
    const uploaded = await run(UPLOAD, { id, c: content });
    expect(uploaded.codes).toEqual([]);
    expect(uploaded.data!['uploadVnfPackageContent']).toMatchObject({ id, onboardingState: 'ONBOARDED' });
  });

  it('refuses content above the package size limit: PAYLOAD_TOO_LARGE, and the package is in ERROR', async () => {
    const run = setup(1024);
    const id = ((await run(CREATE)).data!['createVnfPackage'] as { id: string }).id;
    const refused = await run(UPLOAD, { id, c: Buffer.alloc(2048).toString('base64') });
    expect(refused.codes).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(refused.messages[0]).toBe('the package is larger than 1024 bytes; the package is now in ERROR.');
    expect((await run(READ, { id })).data!['vnfPackage']).toMatchObject({
      onboardingState: 'ERROR',
      onboardingFailureDetails: { status: 413 },
    });
  });
});
