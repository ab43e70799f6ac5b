/**
 * The SOL003 client of the interop tests (tests/interop/): OpenStack's `openstack` CLI with the tacker plugin
 * (Debian python3-openstackclient + python3-tackerclient, installed by .ci/run). Whether it is there, and one
 * command run with nothing of the caller's OS_* environment (an OS_CLOUD or OS_AUTH_URL must not steer it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const COMMAND_TIMEOUT_MS = 60_000;
/** The flag of the vnflcm commands (SOL003 v2); the `vnf package` commands exist under API version 1 only. */
export const LCM_V2 = ['--os-tacker-api-version', '2'] as const;

export type TackerClientProbe = { readonly version: string } | { readonly missing: string };

/** The client's version, or why it cannot run here. */
export async function probeTackerClient(): Promise<TackerClientProbe> {
  try {
    const { stdout, stderr } = await run('openstack', ['--version'], { timeout: COMMAND_TIMEOUT_MS });
    // The tacker plugin registers `vnflcm`; without it the command is unknown.
    await run('openstack', [...LCM_V2, 'vnflcm', 'list', '--help'], { timeout: COMMAND_TIMEOUT_MS });
    return { version: `${stdout}${stderr}`.trim() };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n', 1)[0]! : String(error) };
  }
}

/**
 * Why a test file cannot run (undefined when it can). Without the client it must fail under CI and is skipped
 * with a loud warning elsewhere: the caller declares a failing test when `requiredByCi` is true.
 */
export function missingClient(
  probe: TackerClientProbe,
  file: string,
): { readonly message: string; readonly requiredByCi: boolean } | undefined {
  if (!('missing' in probe)) return undefined;
  const message =
    `${file} needs the "openstack" CLI with the tacker plugin (Debian: apt-get install ` +
    `python3-openstackclient python3-tackerclient; .ci/run installs them): ${probe.missing}`;
  const requiredByCi = process.env['CI'] !== undefined;
  if (!requiredByCi) console.warn(`\n!!!!! SKIPPED ${message} !!!!!\n`);
  return { message, requiredByCi };
}

export interface ClientRun {
  readonly command: string;
  readonly exitCode: number;
  readonly output: string;
}

/**
 * Runs `openstack <args>` with exactly the given OS_* variables; resolves with the whole run (exit code 0 or
 * not), so callers decide what a failure means.
 */
export async function runOpenstack(
  args: readonly string[],
  osEnvironment: Readonly<Record<string, string>>,
  cwd?: string,
): Promise<ClientRun & { readonly stdout: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OS_')));
  const command = `openstack ${args.join(' ')}`;
  try {
    const { stdout, stderr } = await run('openstack', [...args], {
      env: { ...env, ...osEnvironment },
      timeout: COMMAND_TIMEOUT_MS,
      ...(cwd === undefined ? {} : { cwd }),
    });
    return { command, exitCode: 0, output: `${stdout}${stderr}`, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      command,
      exitCode: typeof failed.code === 'number' ? failed.code : -1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
      stdout: failed.stdout ?? '',
    };
  }
}
