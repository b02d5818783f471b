export type { Store, StoreView, Batch, StoreChanges, RecordKind } from './store.js';
export { SqliteStore, type StoreOptions } from './sqliteStore.js';
export { startManager, newId, type Manager, type ManagerOptions } from './server.js';
export { loadOrCreateIdentity, issueAdmin, writeAdmin, type ClusterIdentity, type AdminCredentials } from './identity.js';
export { consoleLogger, type Logger } from './log.js';
export { SecurityLedger } from './ledger.js';
export * as pki from './pki/index.js';
export { loadOrCreateStoreKey, STORE_KEY_FILE } from './storeSeal.js';
