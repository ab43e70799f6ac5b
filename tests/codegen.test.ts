/**
 * The committed typed resolvers (the generated/ folders of subgraphs/cluster and subgraphs/hub) match
 * schema/*.graphql: a schema change without `npm run codegen` fails here instead of drifting silently.
 */
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

describe('codegen', () => {
  it('generated resolver types are up to date with the SDL', async () => {
    const config = parseYaml(readFileSync('codegen.yml', 'utf8')) as Types.Config;
    const outputs = (await generate(
      { ...config, cwd: process.cwd(), silent: true },
      false,
    )) as Types.FileOutput[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(readFileSync(output.filename, 'utf8'), `${output.filename} is stale: run npm run codegen`).toBe(
        output.content,
      );
    }
  }, 60_000);
});
