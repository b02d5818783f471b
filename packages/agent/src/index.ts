export { joinCluster, fetchPinnedCa, type JoinOptions, type NodeCredentials } from './join.js';
export { Session, type SessionOptions } from './session.js';
export { caUpdateHandler, type CaUpdateOptions } from './ca-update.js';
export { CertificateRenewer, renewalTime, certificateValidity, type NodeCertificate, type RenewerOptions } from './renewal.js';
export { caDigestOfPem, certificateNotAfter } from './identity.js';
export { Worker } from './worker.js';
export { FakeExecutor } from './fake-executor.js';
export { execInContainer } from './docker/testing.js';
export { freePort } from './freePort.js';
export { Firewall, type Iptables } from './mesh/firewall.js';
export { RegistryView } from './mesh/view.js';
// The mesh's parts, for bench/mesh.mjs, which measures them apart from a running agent.
export { KernelPath } from './mesh/kernelPath.js';
export { Mesh } from './mesh/mesh.js';
export { AskerOfAddress } from './mesh/askers.js';
