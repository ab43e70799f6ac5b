/**
 * GraphiQL in a real browser (Debian chromium driven by playwright-core): the page is served by the
 * gateway itself with no CDN request, and a query typed into the URL runs against the federated graph.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { haveChromium, launchChromium } from '../../testing/chromium.ts';

let demo: Demo;
let browser: BrowserContext;
let profileDir: string;

describe.skipIf(!haveChromium)('GraphiQL in chromium', () => {
  beforeAll(async () => {
    demo = await startDemo({
      scenario: 'minimal',
      port: 0,
      logger: createLogger('silent'),
      gateway: { logLevel: 'silent', graphiql: true },
    });
    profileDir = await mkdtemp(join(tmpdir(), 'netweave-chromium-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await launchChromium(profileDir);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('loads from the gateway only and runs a query across the clusters', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      // GraphiQL loads its workers from blob: URLs it creates itself; anything else must be the gateway.
      const url = request.url().replace(/^blob:/, '');
      if (!url.startsWith(demo.gateway.url) && !url.startsWith('data:')) foreign.push(request.url());
    });
    const query = '{ oCloud { name } clusters { clusterId } }';
    await page.goto(`${demo.gateway.url}/graphql?query=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    // The editor fills in from the URL after GraphiQL has loaded; run only then.
    await waitForText(page.locator('.graphiql-query-editor'), 'clusters');
    await page.locator('.graphiql-execute-button').click({ timeout: 20_000 });
    const response = await waitForText(page.locator('.graphiql-response'), 'netweave O-Cloud');
    for (const cluster of demo.scenario.clusters) expect(response).toContain(cluster.name);
    expect(foreign).toEqual([]);
    await page.close();
  }, 90_000);
});

/** Bounded polling for text to appear in an element (no timing assertion: it only bounds the wait). */
async function waitForText(locator: Locator, text: string): Promise<string> {
  let seen = '';
  for (let attempt = 0; attempt < 120; attempt++) {
    // The editors render spaces as U+00A0.
    seen = (await locator.innerText({ timeout: 10_000 }).catch(() => '')).replace(/\u00a0/g, ' ');
    if (seen.includes(text)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`"${text}" did not appear; last text: ${JSON.stringify(seen.slice(0, 400))}`);
}
