/**
 * Keep-alive of the gateway's graphql-ws sockets: finds dead peers without cutting live subscribers because the
 * GATEWAY was busy.
 *
 * graphql-ws's own keep-alive (`useServer`'s third argument) pings every 12 s and terminates a socket whose pong
 * has not arrived 12 s later, by a timer. Under a backlog of events the gateway's event loop runs long stretches
 * of deliveries between two reads of its sockets; the timers phase comes before the poll phase, so the timer
 * fired before the pong — already received by the kernel — was read, and live subscribers were cut (1006, no
 * close frame; measured in the ws fan-out benchmark, docs/performance.md "History"). Here:
 * - a pong overdue at a tick is looked at again after the poll phase (`setImmediate`), when every pong the
 *   kernel holds has been read;
 * - the wait for a pong starts when the ping has been written to the socket, not when it was queued behind the
 *   events still waiting in the socket's buffer;
 * - a ping that cannot even be written for `STALLED_INTERVALS` intervals (the peer reads nothing) ends the
 *   socket as well: a subscriber that stopped reading must not hold the gateway's memory forever.
 * Any frame from the peer counts as an answer.
 */
import type { WebSocket } from 'ws';

/** Intervals a ping may wait unwritten (the peer does not read) before the socket is terminated. */
export const STALLED_INTERVALS = 3;

export function keepAlive(socket: WebSocket, intervalMs: number): void {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) return;
  let pingedAt: number | undefined; // a ping is outstanding (no answer since)
  let writtenAt: number | undefined; // ... and was written to the socket then

  const answered = (): void => {
    pingedAt = undefined;
    writtenAt = undefined;
  };
  socket.on('pong', answered);
  socket.on('message', answered);

  const ping = (): void => {
    const at = Date.now();
    pingedAt = at;
    writtenAt = undefined;
    socket.ping(undefined, undefined, (error?: Error) => {
      if (error === undefined && pingedAt === at) writtenAt = Date.now();
    });
  };

  const overdue = (now: number): boolean =>
    pingedAt !== undefined &&
    (writtenAt !== undefined
      ? now - writtenAt >= intervalMs
      : now - pingedAt >= STALLED_INTERVALS * intervalMs);

  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (pingedAt === undefined) {
      ping();
      return;
    }
    if (!overdue(Date.now())) return;
    // Overdue by the timer; the answer may be read in this turn's poll phase: decide after it.
    setImmediate(() => {
      if (socket.readyState === socket.OPEN && overdue(Date.now())) socket.terminate();
    });
  }, intervalMs);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
