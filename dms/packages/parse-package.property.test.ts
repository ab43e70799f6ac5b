/**
 * "Never a crash": whatever bytes are uploaded, on-boarding ends with a descriptor or a DmsError (which the
 * repository turns into onboardingFailureDetails), never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DmsError } from '../errors.ts';
import { DEFAULT_PACKAGE_LIMITS } from './limits.ts';
import { parsePackage } from './parse-package.ts';
import { buildSamplePackage, packChartDirectory, SAMPLES_DIRECTORY, tarGz } from './samples.ts';

const LIMITS = { ...DEFAULT_PACKAGE_LIMITS, maxExpandedBytes: 8 * 1024 * 1024 };

async function outcome(content: Buffer): Promise<'descriptor' | 'refused'> {
  try {
    await parsePackage(content, LIMITS);
    return 'descriptor';
  } catch (error) {
    if (error instanceof DmsError) return 'refused';
    throw error;
  }
}

/** `content` with `edits` applied: each overwrites one byte. */
function corrupt(content: Buffer, edits: readonly (readonly [number, number])[]): Buffer {
  const out = Buffer.from(content);
  for (const [at, value] of edits) out[at % out.length] = value;
  return out;
}

describe('on-boarding never crashes', () => {
  it('on a corrupted sample CSAR', async () => {
    const sample = await buildSamplePackage('netweave-sample-cnf');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          expect(['descriptor', 'refused']).toContain(await outcome(corrupt(sample, edits)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('on a corrupted bare chart', async () => {
    const chart = await packChartDirectory(
      `${SAMPLES_DIRECTORY}/netweave-sample-cnf/Files/kubernetes/netweave-sample-cnf`,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          expect(['descriptor', 'refused']).toContain(await outcome(corrupt(chart.archive, edits)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('on arbitrary bytes behind a zip or gzip signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PK\x03\x04', 'PK\x05\x06', '\x1f\x8b'),
        fc.uint8Array({ maxLength: 512 }),
        async (magic, tail) => {
          expect(await outcome(Buffer.concat([Buffer.from(magic, 'latin1'), Buffer.from(tail)]))).toBe(
            'refused',
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a chart whose tar entries leave the chart folder', async () => {
    const archive = await tarGz(
      new Map([
        ['evil/Chart.yaml', Buffer.from('apiVersion: v2\nname: evil\nversion: 0.1.0\n')],
        ['evil/../../etc/passwd', Buffer.from('x')],
      ]),
    );
    await expect(parsePackage(archive, LIMITS)).rejects.toThrow(/leaves the chart folder/);
  });
});
