/** The process logger (pino): JSON lines in production, one line per record on a terminal. */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(level: LevelWithSilent, name = 'netweave'): Logger {
  const pretty = process.stdout.isTTY && process.env['NETWEAVE_LOG_FORMAT'] !== 'json';
  return pino({
    name,
    level,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } }
      : {}),
  });
}
