/**
 * Where the O2 IMS services live under the gateway's root: the REST routes are mounted there, and the object
 * references in notifications (`objectRef`) point there, so the REST facade and the notifier share them.
 */
export const INVENTORY_SERVICE_PATH = '/o2ims-infrastructureInventory';
export const MONITORING_SERVICE_PATH = '/o2ims-infrastructureMonitoring';
export const MONITORING_V1_PATH = `${MONITORING_SERVICE_PATH}/v1`;
