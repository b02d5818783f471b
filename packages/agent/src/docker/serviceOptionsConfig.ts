/**
 * Pure translation of the optional service keys (ServiceOptions) into Docker
 * create options, applied on top of what containerConfig makes: no I/O, so
 * it is tested with tables (serviceOptionsConfig.test.ts).
 */
import type Dockerode from 'dockerode';
import type { FileMount, MountSpec, ServiceSpec } from '@cluster/core';

/** TaskFile is a secret or config written on the node for one task, at hostPath. */
export interface TaskFile {
  mount: FileMount;
  hostPath: string;
}

function mountOf(m: MountSpec): Dockerode.MountSettings {
  if (m.type === 'tmpfs') {
    // SizeBytes 0 is no bound.
    const options = m.sizeBytes || m.mode !== undefined ? { TmpfsOptions: { SizeBytes: m.sizeBytes ?? 0, Mode: m.mode ?? 0o1777 } } : {};
    return { Type: 'tmpfs', Source: '', Target: m.target, ReadOnly: m.readOnly, ...options };
  }
  if (m.type === 'bind') {
    // The engine refuses a missing source with Mounts; create_host_path (the default) uses the Binds form, which creates it.
    return { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly, ...(m.propagation ? { BindOptions: { Propagation: m.propagation } } : {}) };
  }
  // dockerode's type makes every field of VolumeOptions required; the engine takes each alone.
  const noCopy = { VolumeOptions: { NoCopy: true } as Dockerode.MountSettings['VolumeOptions'] };
  return { Type: 'volume', Source: m.source, Target: m.target, ReadOnly: m.readOnly, ...(m.noCopy ? noCopy : {}) };
}

/** bindOf is a bind mount in the Binds form (`SRC:DST[:ro][,PROPAGATION]`), which creates a missing source. */
function bindOf(m: MountSpec): string {
  const options = [...(m.readOnly ? ['ro'] : []), ...(m.propagation ? [m.propagation] : [])];
  return `${m.source}:${m.target}${options.length > 0 ? `:${options.join(',')}` : ''}`;
}

/** stackVolumeNames are the named volumes of the stack a service mounts (not external ones). */
export function stackVolumeNames(spec: ServiceSpec): string[] {
  return (spec.mounts ?? []).filter((m) => m.type === 'volume' && m.source !== '' && !m.external).map((m) => m.source);
}

/**
 * applyServiceOptions returns the create options with the service's optional
 * keys applied: mounts (volumes, binds, tmpfs, secrets and configs read-only
 * from files), resources, capabilities, ulimits, sysctls, hosts and DNS, the
 * keys that change how the container runs (read-only root, terminal, stdin,
 * security options, devices, IPC, log driver, MAC address, runtime, groups,
 * resolver search domains and options, domain name, OOM score, CPU shares) and the
 * aliases of its stack networks. The first network stays the primary one.
 */
export function applyServiceOptions(opts: Dockerode.ContainerCreateOptions, spec: ServiceSpec, files: TaskFile[] = []): Dockerode.ContainerCreateOptions {
  const host: Dockerode.HostConfig = { ...opts.HostConfig };
  const out: Dockerode.ContainerCreateOptions = { ...opts };
  const mounts: Dockerode.MountSettings[] = [];
  const binds: string[] = [];
  for (const m of spec.mounts ?? []) {
    if (m.type === 'bind' && m.createHostPath !== false) binds.push(bindOf(m));
    else mounts.push(mountOf(m));
  }
  for (const f of files) mounts.push({ Type: 'bind', Source: f.hostPath, Target: f.mount.target, ReadOnly: true });
  if (mounts.length > 0) host.Mounts = mounts;
  if (binds.length > 0) host.Binds = binds;

  if (spec.init !== undefined) host.Init = spec.init;
  if (spec.privileged !== undefined) host.Privileged = spec.privileged;
  if (spec.capAdd) host.CapAdd = [...spec.capAdd];
  if (spec.capDrop) host.CapDrop = [...spec.capDrop];
  if (spec.ulimits) host.Ulimits = Object.entries(spec.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard }));
  if (spec.sysctls) host.Sysctls = { ...spec.sysctls };
  if (spec.shmSizeBytes !== undefined) host.ShmSize = spec.shmSizeBytes;
  if (spec.readOnly !== undefined) host.ReadonlyRootfs = spec.readOnly;
  if (spec.securityOpt) host.SecurityOpt = [...spec.securityOpt];
  if (spec.devices) host.Devices = spec.devices.map((d) => ({ PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions }));
  if (spec.ipc !== undefined) host.IpcMode = spec.ipc;
  if (spec.logging) host.LogConfig = { Type: spec.logging.driver, Config: { ...spec.logging.options } };
  if (spec.runtime !== undefined) host.Runtime = spec.runtime;
  if (spec.groupAdd) host.GroupAdd = [...spec.groupAdd];
  if (spec.dnsSearch) host.DnsSearch = [...spec.dnsSearch];
  if (spec.dnsOptions) host.DnsOptions = [...spec.dnsOptions];
  if (spec.oomScoreAdj !== undefined) host.OomScoreAdj = spec.oomScoreAdj;
  if (spec.cpuShares !== undefined) host.CpuShares = spec.cpuShares;
  if (spec.extraHosts) host.ExtraHosts = [...spec.extraHosts];
  // The service's own resolvers come first; the agent's (already set) answer the cluster's names.
  if (spec.dns) host.Dns = [...spec.dns, ...(host.Dns ?? [])];
  const { limits, reservations } = spec;
  if (limits?.nanoCpus) host.NanoCpus = limits.nanoCpus;
  if (limits?.memoryBytes) host.Memory = limits.memoryBytes;
  if (limits?.pids) host.PidsLimit = limits.pids;
  if (reservations?.memoryBytes) host.MemoryReservation = reservations.memoryBytes;
  out.HostConfig = host;
  if (spec.tty !== undefined) out.Tty = spec.tty;
  if (spec.stdinOpen !== undefined) out.OpenStdin = spec.stdinOpen;
  if (spec.domainname !== undefined) out.Domainname = spec.domainname;
  // The engine (API 1.41) takes the address of the container's first network here.
  if (spec.macAddress !== undefined) out.MacAddress = spec.macAddress;

  if (spec.expose && spec.expose.length > 0) {
    const exposed: Record<string, object> = { ...(opts.ExposedPorts ?? {}) };
    for (const p of spec.expose) exposed[p] = {};
    out.ExposedPorts = exposed;
  }

  // Aliases on the primary network (the stack's default one): those of its attachment, if listed.
  const primary = String(host.NetworkMode ?? '');
  const attachment = spec.networks?.find((n) => n.name === primary);
  const endpoint = out.NetworkingConfig?.EndpointsConfig?.[primary];
  if (attachment && endpoint && attachment.aliases.length > 0) {
    out.NetworkingConfig = { EndpointsConfig: { ...out.NetworkingConfig?.EndpointsConfig, [primary]: { ...endpoint, Aliases: [...(endpoint.Aliases ?? []), ...attachment.aliases] } } };
  }
  return out;
}

/** extraNetworks are the networks a container joins after it is made, with its aliases there (the service name first). */
export function extraNetworks(spec: ServiceSpec, primary: string): { name: string; aliases: string[]; external: boolean }[] {
  return (spec.networks ?? []).filter((n) => n.name !== primary).map((n) => ({ name: n.name, aliases: [spec.name, ...n.aliases], external: n.external === true }));
}
