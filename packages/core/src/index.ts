export * from './model.js';
export * from './serviceOptions.js';
export { redactSpec } from './redactSpec.js';
export { dependentsToRestart, DependencyIndex, WAITING_PREFIX } from './dependencies.js';
export * from './errors.js';
export * from './schedule.js';
export * from './reconcile.js';
export * from './compose/index.js';
export * from './registry.js';
