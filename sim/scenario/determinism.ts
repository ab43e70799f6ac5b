/**
 * Deterministic stand-ins for what a real cluster generates randomly (uids, name suffixes, serial numbers,
 * machine ids): derived from stable names, so the same fixture always expands to the same objects.
 */
import { createHash } from 'node:crypto';
import { uuidV5 } from '../../o2/ids.ts';
import { SUFFIX_ALPHABET } from '../store/metadata.ts';

/** Namespace of the simulator's uids (distinct from netweave's O2 ids). */
const SIM_NAMESPACE = '8d6f0c1e-2b7a-4c39-9e51-7a3f2d4b6c80';

function digest(parts: readonly string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest();
}

export function stableUid(...parts: string[]): string {
  return uuidV5(parts.join('/'), SIM_NAMESPACE);
}

export function stableHex(length: number, ...parts: string[]): string {
  let hex = '';
  for (let round = 0; hex.length < length; round++) hex += digest([...parts, String(round)]).toString('hex');
  return hex.slice(0, length);
}

/** `length` characters of `alphabet`, chosen by hashing `parts`. */
export function stableChars(length: number, alphabet: string, ...parts: string[]): string {
  const bytes = digest(parts);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

/** A generated-name suffix like the API server's (`-x7k2p`). */
export function stableSuffix(length: number, ...parts: string[]): string {
  return stableChars(length, SUFFIX_ALPHABET, ...parts);
}

/** An integer in [0, modulo) derived from `parts`. */
export function stableIndex(modulo: number, ...parts: string[]): number {
  return modulo <= 0 ? 0 : digest(parts).readUInt32BE(0) % modulo;
}
