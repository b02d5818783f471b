import type { StackSpec } from '../model.js';
import type { BytesReader, FileReader, PathKind } from './context.js';
import type { Problem } from './formatProblem.js';

// What the loader is given and gives back, apart from both entry points
// (loadCompose for one file as text, loadStack for files on disk), so that
// neither imports the other for its types.

/** LoadOptions say where the text comes from and what to interpolate it with. */
export interface LoadOptions {
  /** file is the file name used in problems; its folder gives the default stack name. */
  file: string;
  /** stackName overrides the stack name. @default the file's `name`, else defaultStackName(file) */
  stackName?: string;
  /** env holds the variables for interpolation; they win over the `.env` file. @default {} */
  env?: Record<string, string>;
  /** readFile reads the other files the stack names (`.env`, `env_file`, `extends`, secrets). @default none: no other file exists */
  readFile?: FileReader;
  /** readBytes reads the files of `secrets` and `configs` as bytes, unchanged. @default their text from readFile, as UTF-8 */
  readBytes?: BytesReader;
  /** pathKind lets the loader check that build contexts and Dockerfiles exist. @default none: they are not checked */
  pathKind?: PathKind;
  /** profiles are the active profiles (`--profile`); "*" activates all. @default [] */
  profiles?: string[];
  /** envFiles replace the `.env` file beside the first file (`--env-file`). @default [".env" beside the first file, if it exists] */
  envFiles?: string[];
}

/** LoadResult is the normalized stack, present if and only if errors is empty, and every problem found. */
export interface LoadResult {
  spec?: StackSpec;
  errors: Problem[];
  warnings: Problem[];
}
