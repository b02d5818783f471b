export * from './model.js';
export {};
export * from './errors.js';
export * from './schedule.js';
export * from './reconcile.js';
