export { run } from './run.js';
export type { Io } from './io.js';
export { CliError } from './io.js';
