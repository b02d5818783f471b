import type Dockerode from 'dockerode';

/** EngineInfo is what a node tells the manager about its engine. */
export interface EngineInfo {
  version: string;
  nanoCpus: number;
  memoryBytes: number;
}

/** engineInfo asks the engine for its version and capacity. */
export async function engineInfo(docker: Dockerode): Promise<EngineInfo> {
  const info = (await docker.info()) as { ServerVersion?: string; NCPU?: number; MemTotal?: number };
  return { version: info.ServerVersion ?? '', nanoCpus: (info.NCPU ?? 0) * 1e9, memoryBytes: info.MemTotal ?? 0 };
}
