export { joinCluster, fetchPinnedCa, type JoinOptions, type NodeCredentials } from './join.js';
export { Session, type SessionOptions } from './session.js';
export { caUpdateHandler, type CaUpdateOptions } from './ca-update.js';
export { CertificateRenewer, renewalTime, certificateValidity, type NodeCertificate, type RenewerOptions } from './renewal.js';
export { createKeyAndCsr, caDigestOfPem, certificateNotAfter } from './identity.js';
export { Worker } from './worker.js';
export { FakeExecutor } from './fake-executor.js';
export { execInContainer } from './docker/testing.js';
