/**
 * Debian chromium for browser tests, driven by playwright-core with the flags of the project's rules (headless, no
 * sandbox, no GPU, no QUIC, no first-run or background network traffic) and a fresh profile per run.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** A browser on a fresh profile in `profileDir` (playwright passes it as --user-data-dir). */
export function launchChromium(
  profileDir: string,
  viewport?: { readonly width: number; readonly height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    ...(viewport === undefined ? {} : { viewport }),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
