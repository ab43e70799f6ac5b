/**
 * The README's LCM receiver (scripts/lcm-receiver.ts): answers the subscription's callback test GET with 204,
 * prints one line per notification, refuses what is not a JSON object.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startLcmReceiver, type LcmReceiver } from './lcm-receiver.ts';

let receiver: LcmReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
});

describe('scripts/lcm-receiver.ts', () => {
  it('answers the callback test GET with 204 and prints each notification on one line', async () => {
    const lines: string[] = [];
    receiver = await startLcmReceiver({ port: 0, print: (line) => lines.push(line) });
    expect((await fetch(receiver.url)).status).toBe(204);
    const post = (body: string): Promise<Response> =>
      fetch(receiver!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(
      (
        await post(
          JSON.stringify({
            notificationType: 'VnfLcmOperationOccurrenceNotification',
            timeStamp: '2026-12-06T20:00:00Z',
            operation: 'INSTANTIATE',
            notificationStatus: 'START',
            operationState: 'STARTING',
            vnfInstanceId: 'i-1',
            vnfLcmOpOccId: 'o-1',
          }),
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await post(
          JSON.stringify({ notificationType: 'VnfIdentifierCreationNotification', vnfInstanceId: 'i-1' }),
        )
      ).status,
    ).toBe(204);
    expect((await post('not json')).status).toBe(400);
    expect(lines[0]).toMatch(/callback test GET \/lcm → 204/);
    expect(lines[1]).toBe(
      '2026-12-06T20:00:00Z VnfLcmOperationOccurrenceNotification INSTANTIATE START/STARTING vnfInstance=i-1 vnfLcmOpOcc=o-1',
    );
    expect(lines[2]).toBe('- VnfIdentifierCreationNotification vnfInstance=i-1');
    expect(lines[3]).toMatch(/not a JSON object → 400/);
  });

  it('prints VNF FM alarm notifications with the alarm and its instance', async () => {
    const lines: string[] = [];
    receiver = await startLcmReceiver({ port: 0, print: (line) => lines.push(line) });
    const post = (body: unknown): Promise<Response> =>
      fetch(receiver!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post({
      notificationType: 'AlarmNotification',
      timeStamp: 't1',
      alarm: {
        id: 'a-1',
        managedObjectId: 'i-1',
        faultType: 'NfPodCrashLooping',
        perceivedSeverity: 'MAJOR',
        ackState: 'UNACKNOWLEDGED',
      },
    });
    await post({ notificationType: 'AlarmClearedNotification', timeStamp: 't2', alarmId: 'a-1' });
    expect(lines).toEqual([
      't1 AlarmNotification NfPodCrashLooping MAJOR UNACKNOWLEDGED vnfInstance=i-1 alarm=a-1',
      't2 AlarmClearedNotification alarm=a-1',
    ]);
  });
});
