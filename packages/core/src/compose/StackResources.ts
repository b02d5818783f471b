// The resources of a stack apart from the code that reads them, so that the
// load context (context.ts) holds them without importing the readers, which
// import the context.

/** Resource is a network or volume of the stack. */
export interface Resource {
  /** engineName is `<stack>_<name>`, or the name given with `name:` or `external`. */
  engineName: string;
  external: boolean;
  /** labels are set on a volume or network when a node makes it (`labels:`). */
  labels?: Record<string, string>;
}

/** StackResources is what the services of a stack may refer to. */
export interface StackResources {
  /** stack is the stack name. */
  stack: string;
  services: Set<string>;
  networks: Map<string, Resource>;
  volumes: Map<string, Resource>;
  /** secrets and configs hold where their content comes from; undefined when it could not be read. */
  secrets: Map<string, FileSource | undefined>;
  configs: Map<string, FileSource | undefined>;
}

/** FileSource is a secret's or config's content (base64), or the name of the one made in the cluster that gives it. */
export type FileSource = { dataBase64: string; external?: undefined } | { external: string; dataBase64?: undefined };

/** emptyResources is what a stack has before its top-level keys are read: the default network. */
export function emptyResources(stack: string): StackResources {
  return { stack, services: new Set(), networks: new Map([['default', { engineName: `${stack}_default`, external: false }]]), volumes: new Map(), secrets: new Map(), configs: new Map() };
}
