/**
 * Verification of the per-artifact digests a CSAR declares (SOL004 §4.3.3/§5.1: `Algorithm` + `Hash` in
 * TOSCA.meta or the manifest). An artifact listed with a hash must be present and match, with an algorithm
 * netweave knows: a digest that cannot be checked is a refusal, never a silent pass.
 */
import { createHash } from 'node:crypto';
import { DmsError } from '../errors.ts';
import type { ListedArtifact } from './tosca-meta.ts';
import { checkEntryPath } from './zip.ts';

/** SOL004 algorithm names → Node digest names. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
};

export const SUPPORTED_HASH_ALGORITHMS = Object.keys(ALGORITHMS);

function quoted(path: string): string {
  return JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);
}

export function digestOf(algorithm: string, content: Buffer): string | undefined {
  const name =
    ALGORITHMS[
      algorithm
        .trim()
        .toUpperCase()
        .replace(/^SHA(\d{3})$/, 'SHA-$1')
    ];
  return name === undefined ? undefined : createHash(name).update(content).digest('hex');
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Throws DmsError UNPROCESSABLE for the first listed artifact whose digest is absent, unknown or wrong. */
export function verifyArtifactHashes(
  files: ReadonlyMap<string, Buffer>,
  artifacts: readonly ListedArtifact[],
): void {
  for (const artifact of artifacts) {
    if (artifact.hash === undefined && artifact.algorithm === undefined) continue;
    // External artifacts (URIs) are not part of the package; netweave does not fetch them.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(artifact.path)) continue;
    const name = quoted(artifact.path);
    if (artifact.hash === undefined || artifact.algorithm === undefined)
      throw new DmsError(
        'UNPROCESSABLE',
        `${artifact.listedIn} lists artifact ${name} with only one of Algorithm and Hash`,
      );
    const path = checkEntryPath(artifact.path);
    const content = files.get(path);
    if (content === undefined)
      throw new DmsError(
        'UNPROCESSABLE',
        `${artifact.listedIn} lists artifact ${name} with a hash, but the package has no such file`,
      );
    const digest = digestOf(artifact.algorithm, content);
    if (digest === undefined)
      throw new DmsError(
        'UNPROCESSABLE',
        `${artifact.listedIn} uses hash algorithm ${JSON.stringify(artifact.algorithm.slice(0, 40))} for ${name}; supported: ${SUPPORTED_HASH_ALGORITHMS.join(', ')}`,
      );
    if (digest !== artifact.hash.trim().toLowerCase())
      throw new DmsError(
        'UNPROCESSABLE',
        `the ${artifact.algorithm} hash of artifact ${name} does not match the one in ${artifact.listedIn}`,
      );
  }
}
