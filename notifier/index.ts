/** The notifier: O2 InventoryChangeNotifications delivered to subscription callbacks (docs/subscriptions.md). */
export { startNotifier } from './notifier.ts';
export type { Notifier, NotifierOptions } from './notifier.ts';
export { DeadLetters } from './dead-letters.ts';
export { buildNotification, notificationIdOf } from './notification.ts';
export type { InventoryChangeNotification } from './notification.ts';
export { SIGNATURE_HEADER, signatureHeaderValue, verifySignature } from './signature.ts';
export type { DeadLetter } from './queues.ts';
export { realTimers } from '../common/timers.ts';
export type { Timers } from '../common/timers.ts';
