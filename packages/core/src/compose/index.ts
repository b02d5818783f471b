/** The Compose loader: text and variables in, a normalized StackSpec and every problem out. */
export { defaultStackName } from './defaultStackName.js';
export { formatProblem, type Problem } from './formatProblem.js';
export { interpolate, type InterpolationProblem, type InterpolationResult } from './interpolate.js';
export { loadCompose } from './loadCompose.js';
export type { LoadOptions, LoadResult } from './LoadOptions.js';
export { loadStack, type LoadStackOptions } from './loadStack.js';
export { parseEnvFile, type EnvFileResult } from './parseEnvFile.js';
export type { BytesReader, FileReader, PathKind } from './context.js';
export { parseDuration, parseTimeout } from './parseDuration.js';
export { splitShellWords, type ShellWords } from './splitShellWords.js';
export { formatStack, type StackFormat } from './formatStack.js';
export { engineServiceName } from './engineServiceName.js';
