/** JSON log lines for tests: a pino logger writing into an array, and a duplicate-key check. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../common/log.ts';

export function capturedLogger(level: 'info' | 'debug' = 'info'): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger(level, 'test', stream) };
}

/** The top-level keys of a JSON object line, in order, duplicates included (JSON.parse would hide them). */
export function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && line[j + 1] === ':') keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}
