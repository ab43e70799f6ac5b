/**
 * The two SOL004 index files of a CSAR: `TOSCA-Metadata/TOSCA.meta` (TOSCA CSAR block 0 plus one block per
 * artifact, as Tacker writes them: `Name`, `Content-Type`, `Algorithm`, `Hash`) and the manifest named by
 * `ETSI-Entry-Manifest` (`metadata:` section, then `Source` / `Algorithm` / `Hash` entries, optionally a CMS
 * signature block). Both are line-oriented `Key: value` text; only what netweave uses is kept.
 */
import { DmsError } from '../errors.ts';

export const TOSCA_META_PATH = 'TOSCA-Metadata/TOSCA.meta';

/** A file the package lists, with the digest it must have when `hash` is given. */
export interface ListedArtifact {
  readonly path: string;
  readonly algorithm?: string;
  readonly hash?: string;
  /** Which index listed it (named in failure details). */
  readonly listedIn: string;
}

export interface ToscaMeta {
  readonly entryDefinitions?: string;
  readonly entryManifest?: string;
  readonly artifacts: readonly ListedArtifact[];
}

function keyValue(line: string): [string, string] | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

interface OpenArtifact {
  path: string;
  algorithm?: string;
  hash?: string;
}

function closeArtifact(open: OpenArtifact | undefined, listedIn: string, into: ListedArtifact[]): void {
  if (open === undefined) return;
  into.push({
    path: open.path,
    listedIn,
    ...(open.algorithm === undefined ? {} : { algorithm: open.algorithm }),
    ...(open.hash === undefined ? {} : { hash: open.hash }),
  });
}

export function parseToscaMeta(text: string): ToscaMeta {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  const block0 = new Map<string, string>();
  for (const line of (blocks[0] ?? '').split('\n')) {
    const pair = keyValue(line);
    if (pair !== undefined) block0.set(pair[0], pair[1]);
  }
  if (!block0.has('TOSCA-Meta-File-Version') && !block0.has('Entry-Definitions'))
    throw new DmsError(
      'UNPROCESSABLE',
      `${TOSCA_META_PATH} has no TOSCA-Meta-File-Version or Entry-Definitions keyname`,
    );
  const artifacts: ListedArtifact[] = [];
  for (const block of blocks.slice(1)) {
    let open: OpenArtifact | undefined;
    for (const line of block.split('\n')) {
      const pair = keyValue(line);
      if (pair === undefined) continue;
      const [key, value] = pair;
      if (key === 'Name') {
        closeArtifact(open, TOSCA_META_PATH, artifacts);
        open = { path: value };
      } else if (open !== undefined && key === 'Algorithm') open.algorithm = value;
      else if (open !== undefined && key === 'Hash') open.hash = value;
    }
    closeArtifact(open, TOSCA_META_PATH, artifacts);
  }
  const entryDefinitions = block0.get('Entry-Definitions');
  const entryManifest = block0.get('ETSI-Entry-Manifest') ?? block0.get('Entry-Manifest');
  return {
    artifacts,
    ...(entryDefinitions ? { entryDefinitions } : {}),
    ...(entryManifest ? { entryManifest } : {}),
  };
}

export interface Manifest {
  /** The `metadata:` section (e.g. `vnf_product_name`, `entry_definition_type`). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly artifacts: readonly ListedArtifact[];
}

export function parseManifest(text: string, path: string): Manifest {
  const metadata: Record<string, string> = {};
  const artifacts: ListedArtifact[] = [];
  let section: 'none' | 'metadata' = 'none';
  let open: OpenArtifact | undefined;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    // The signature (SOL004 option 1) closes the manifest; it is not verified here (see docs/dms.md).
    if (raw.startsWith('-----BEGIN')) break;
    if (raw.trim() === '') continue;
    const indented = /^[ \t]/.test(raw);
    const pair = keyValue(raw);
    if (pair === undefined) continue;
    const [key, value] = pair;
    if (!indented && value === '') {
      section = key === 'metadata' ? 'metadata' : 'none';
      continue;
    }
    if (section === 'metadata' && indented) {
      metadata[key] = value;
      continue;
    }
    if (key === 'Source') {
      closeArtifact(open, path, artifacts);
      open = { path: value };
    } else if (open !== undefined && key === 'Algorithm') open.algorithm = value;
    else if (open !== undefined && key === 'Hash') open.hash = value;
  }
  closeArtifact(open, path, artifacts);
  return { metadata, artifacts };
}
