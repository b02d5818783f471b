// Original file: proto/cluster/v1/control.proto


export interface DeployStackRequest {
  'name'?: (string);
  /**
   * spec_json is the core StackSpec as JSON, made by core encodeStackSpec and
   * read (and validated) by decodeStackSpec.
   */
  'specJson'?: (string);
  'dryRun'?: (boolean);
}

export interface DeployStackRequest__Output {
  'name': (string);
  /**
   * spec_json is the core StackSpec as JSON, made by core encodeStackSpec and
   * read (and validated) by decodeStackSpec.
   */
  'specJson': (string);
  'dryRun': (boolean);
}
