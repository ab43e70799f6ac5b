/** Reading the release Helm prints after `upgrade --install --output json` (the runner's source of revision and manifest). */
import { describe, expect, it } from 'vitest';
import { parseAppliedRelease } from './helm-cli.ts';

describe('parseAppliedRelease', () => {
  it('takes the revision and manifest of the applied release', () => {
    const manifest = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cu-up-nf-1\n';
    const stdout = JSON.stringify({
      name: 'nf-1',
      info: { status: 'deployed' },
      manifest,
      version: 3,
      namespace: 'nf',
    });
    expect(parseAppliedRelease(stdout)).toEqual({ revision: 3, manifest });
  });

  it('yields nothing it cannot trust, so the caller asks Helm again', () => {
    expect(parseAppliedRelease('Release "nf-1" has been upgraded. Happy Helming!')).toEqual({});
    expect(parseAppliedRelease('null')).toEqual({});
    expect(parseAppliedRelease(JSON.stringify({ version: '3', manifest: 7 }))).toEqual({});
    expect(parseAppliedRelease(JSON.stringify({ version: 2.5 }))).toEqual({});
  });
});
